package io.hybridlake.stream;

import static io.hybridlake.stream.Fixtures.record;
import static io.hybridlake.stream.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.serving.MvStoreSpeedCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tables are plain Delta: a second reader that shares no code with delta-kernel (the
 * {@code _delta_log} JSON parsed by hand, data files read with parquet-hadoop) sees the same rows,
 * partition values and transaction ids that Hybridlake wrote.
 */
class TablesAreValidDeltaForAnIndependentReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<Group> readParquet(Path file) throws IOException {
        List<Group> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                new org.apache.hadoop.fs.Path(file.toUri())).withConf(new Configuration()).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                rows.add(g);
            }
        }
        return rows;
    }

    @Test
    void refinedAndRawTablesReadTheSameWithoutDeltaKernel() throws IOException {
        Path lakeDir = dir.resolve("lake");
        Set<String> expectedIds = new HashSet<>();
        try (Lake lake = Lake.local(lakeDir); var cache = new MvStoreSpeedCache(dir.resolve("cache.mv"))) {
            StreamPath path = new StreamPath(lake, Fixtures.catalog(), cache, System::currentTimeMillis,
                    new StreamMetrics(), 1 << 20);
            for (int b = 0; b < 3; b++) {
                List<SourceRecord> records = new ArrayList<>();
                for (int i = b * 50; i < b * 50 + 50; i++) {
                    // two days 40 minutes apart, out of order but within the pipeline's allowed lateness
                    String time = i % 2 == 0 ? "2025-01-28T23:40:00Z" : "2025-01-29T00:20:00Z";
                    records.add(record(i, transaction(i, "c" + (i % 5), i + 0.5, "completed", time)));
                    expectedIds.add("t-" + i);
                }
                path.process(new EventBatch("hybridlake.transactions", 1, records));
            }
        }
        Path refined = lakeDir.resolve(TablePath.refinedStream("transactions").relative());
        DeltaLogReplay.LogState log = DeltaLogReplay.replay(refined);
        assertThat(log.protocol().get("minReaderVersion").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(log.metadata().get("partitionColumns").get(0).asText()).isEqualTo("event_date");
        assertThat(log.txns()).containsEntry("hybridlake:hybridlake.transactions:1", 149L);
        assertThat(log.files().values()).extracting(pv -> pv.get("event_date"))
                .containsOnly("2025-01-28", "2025-01-29");

        Set<String> ids = new HashSet<>();
        for (var file : log.files().entrySet()) {
            for (Group g : readParquet(refined.resolve(file.getKey()))) {
                String id = g.getString("transaction_id", 0);
                int i = Integer.parseInt(id.substring(2));
                assertThat(g.getDouble("amount", 0)).isEqualTo(i + 0.5);
                assertThat(file.getValue().get("event_date")).isEqualTo(i % 2 == 0 ? "2025-01-28" : "2025-01-29");
                assertThat(g.getLong("_source_offset", 0)).isEqualTo(i);
                ids.add(id);
            }
        }
        assertThat(ids).isEqualTo(expectedIds);

        Path raw = lakeDir.resolve(TablePath.rawStream("transactions").relative());
        DeltaLogReplay.LogState rawLog = DeltaLogReplay.replay(raw);
        Set<Long> offsets = new HashSet<>();
        for (String file : rawLog.files().keySet()) {
            for (Group g : readParquet(raw.resolve(file))) {
                offsets.add(g.getLong("offset", 0));
            }
        }
        assertThat(offsets).hasSize(150).contains(0L, 149L);
        assertThat(rawLog.txns()).containsEntry("hybridlake:hybridlake.transactions:1", 149L);
    }
}
