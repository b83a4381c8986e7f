package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import io.hybridlake.stream.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transactions pipeline's curated daily totals per customer equal a direct aggregation of the
 * merged table; after an update on one day only that day's curated file is replaced; a run with
 * nothing new commits nothing.
 */
class CuratedTablesRecomputeChangedPartitionsTest {
    @TempDir
    Path dir;

    @Test
    void dailyTotalsFollowTheMergedTableDayByDay() {
        PipelineSpec spec = Fixtures.builtin("transactions");
        try (Lake lake = Lake.local(dir.resolve("lake"))) {
            RecordImporter importer = new RecordImporter(lake, new PipelineCatalog(List.of(spec), "hybridlake."), System::currentTimeMillis, 1 << 20);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            Curator curator = new Curator(lake);
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                events.add(tx("t" + i, "c" + i % 4, i + 0.5, Instant.parse("2025-04-01T10:00:00Z").plusSeconds(86_400L * (i % 3))));
            }
            send(importer, spec, "day-load", events);
            merger.merge(spec);
            Curator.Result first = curator.curate(spec).get(0);
            assertThat(first.partitionsRecomputed()).isEqualTo(3);
            assertThat(curated(lake)).isEqualTo(expected(lake));

            TablePath curatedPath = TablePath.of("curated/warehouse", "customer_daily_totals");
            Set<String> filesBefore = new TableFiles(lake.table(curatedPath)).filePaths(first.version());

            // one update on day 2 (later event time, same day) and one new transaction on day 2
            send(importer, spec, "update", List.of(tx("t1", "c1", 1000, Instant.parse("2025-04-02T18:00:00Z")),
                    tx("t-new", "c2", 7, Instant.parse("2025-04-02T19:00:00Z"))));
            merger.merge(spec);
            Curator.Result second = curator.curate(spec).get(0);
            assertThat(second.partitionsRecomputed()).isEqualTo(1);
            assertThat(curated(lake)).isEqualTo(expected(lake));
            Set<String> filesAfter = new TableFiles(lake.table(curatedPath)).filePaths(second.version());
            assertThat(filesBefore.stream().filter(f -> !filesAfter.contains(f))).hasSize(1);
            assertThat(filesAfter.stream().filter(f -> f.contains("2025-04-02"))).hasSize(1)
                    .noneMatch(filesBefore::contains);

            assertThat(curator.curate(spec).get(0).version()).isEqualTo(-1);
        }
    }

    /** day|customer -> [count, sum, max] computed straight from refined/merged. */
    private static Map<String, List<Double>> expected(Lake lake) {
        Map<String, List<Double>> out = new TreeMap<>();
        int day = new RowRules(Fixtures.builtin("transactions")).columnIndex("event_date");
        for (Object[] r : Fixtures.rows(lake, TablePath.merged("transactions"))) {
            if (Boolean.TRUE.equals(r[r.length - 1])) {
                continue;
            }
            String key = LocalDate.ofEpochDay((Integer) r[day]) + "|" + r[1];
            out.merge(key, List.of(1.0, (Double) r[2], (Double) r[2]), (a, b) -> List.of(a.get(0) + b.get(0),
                    a.get(1) + b.get(1), Math.max(a.get(2), b.get(2))));
        }
        return out;
    }

    private static Map<String, List<Double>> curated(Lake lake) {
        Map<String, List<Double>> out = new TreeMap<>();
        for (Object[] r : Fixtures.rows(lake, TablePath.of("curated/warehouse", "customer_daily_totals"))) {
            out.put(LocalDate.ofEpochDay((Integer) r[0]) + "|" + r[1], List.of(((Long) r[2]).doubleValue(),
                    (Double) r[3], (Double) r[4]));
        }
        return out;
    }

    private static void send(RecordImporter importer, PipelineSpec spec, String source, List<String> events) {
        List<SourceRecord> records = new ArrayList<>();
        for (String e : events) {
            records.add(new SourceRecord(records.size(), 0, null, e.getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        importer.importBatch(spec, new EventBatch("file:" + source, 0, records));
    }

    private static String tx(String id, String customer, double amount, Instant at) {
        return "{\"transaction_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"amount\":" + amount
                + ",\"status\":\"completed\",\"transaction_date\":\"" + at + "\"}";
    }
}
