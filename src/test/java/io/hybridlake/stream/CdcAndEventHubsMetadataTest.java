package io.hybridlake.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.ZoneSchemas;
import io.hybridlake.serving.MvStoreSpeedCache;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debezium change events become change rows (operation, change time, log sequence) in the refined
 * table, including deletes, snapshot reads and changes that arrive out of order; tombstones are kept
 * in raw, never rejected. Event Hubs / IoT Hub metadata headers are columns rules can use.
 */
class CdcAndEventHubsMetadataTest {
    static final String CUSTOMERS = """
            table: customers
            source: {format: debezium}
            fields:
              - {name: id, type: long, nullable: false}
              - {name: name, type: string, nullable: false}
              - {name: email, type: string}
            key: id
            event_time: _change_ts
            """;
    static final String TELEMETRY = """
            table: telemetry
            fields:
              - {name: reading_id, type: string, nullable: false}
              - {name: temperature, type: double, nullable: false}
              - {name: at, type: timestamp, nullable: false}
            key: reading_id
            event_time: at
            derived:
              - {name: device, expr: "_device_id"}
            filters:
              - "coalesce(_device_id, '') <> 'decommissioned'"
            """;

    @TempDir
    Path dir;

    @Test
    void changeEventsBecomeOrderedChangeRowsAndTombstonesAreKept() {
        List<String> changes = Arrays.asList(
                envelope("r", null, "{\"id\":1,\"name\":\"Ada\",\"email\":\"ada@x\"}", 1000, 10),
                "{\"schema\":{\"type\":\"struct\"},\"payload\":" + envelope("c", null,
                        "{\"id\":2,\"name\":\"Bob\",\"email\":null}", 2000, 20) + "}",
                envelope("u", "{\"id\":1,\"name\":\"Ada\"}", "{\"id\":1,\"name\":\"Ada L\",\"email\":\"ada@y\"}", 4000, 40),
                envelope("d", "{\"id\":2}", null, 5000, 50),
                null, // the tombstone Debezium writes after a delete
                envelope("u", null, "{\"id\":1,\"name\":\"Ada K\",\"email\":\"ada@z\"}", 3000, 30), // arrives late
                envelope("t", null, null, 6000, 60),
                "{\"op\":\"u\",\"after\":{\"id\":\"one\"}}");
        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            byte[] value = changes.get(i) == null ? null : changes.get(i).getBytes(StandardCharsets.UTF_8);
            records.add(new SourceRecord(i, 0, "{\"id\":1}".getBytes(StandardCharsets.UTF_8), value, Map.of()));
        }
        PipelineSpec spec = PipelineLoader.load("customers.yaml", new StringReader(CUSTOMERS));
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            StreamPath path = new StreamPath(lake, new PipelineCatalog(List.of(spec), "hybridlake."), cache,
                    System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            BatchOutcome o = path.process(new EventBatch("hybridlake.customers", 0, records));
            assertThat(Arrays.asList(o.refined(), o.tombstones(), o.rejected(), o.late())).containsExactly(5, 1, 2, 0);

            int op = spec.fieldIndex("_change_op");
            int ts = spec.fieldIndex("_change_ts");
            int seq = spec.fieldIndex("_change_seq");
            List<List<Object>> rows = Fixtures.rows(lake, TablePath.refinedStream("customers")).stream()
                    .sorted(Comparator.comparingLong(r -> (Long) r[r.length - 2])) // by _source_offset
                    .map(r -> Arrays.asList(r[0], r[1], r[op], r[ts], r[seq])).toList();
            assertThat(rows).containsExactly(
                    Arrays.asList(1L, "Ada", "r", 1_000_000L, 10L),
                    Arrays.asList(2L, "Bob", "c", 2_000_000L, 20L),
                    Arrays.asList(1L, "Ada L", "u", 4_000_000L, 40L),
                    Arrays.asList(2L, null, "d", 5_000_000L, 50L),
                    Arrays.asList(1L, "Ada K", "u", 3_000_000L, 30L));
            List<String> reasons = Fixtures.rows(lake, TablePath.rejected("customers")).stream()
                    .map(r -> (String) r[6]).toList();
            assertThat(reasons).anySatisfy(r -> assertThat(r).contains("'t'").contains("truncate"))
                    .anySatisfy(r -> assertThat(r).contains("field 'id' should be a long"));
            assertThat(Fixtures.rows(lake, TablePath.rawStream("customers"))).hasSize(changes.size())
                    .anySatisfy(r -> assertThat(r[5]).isNull());
        }
    }

    private static String envelope(String op, String before, String after, long tsMillis, long lsn) {
        return "{\"op\":\"" + op + "\",\"before\":" + before + ",\"after\":" + after
                + ",\"source\":{\"connector\":\"postgresql\",\"ts_ms\":" + tsMillis + ",\"lsn\":" + lsn + "},\"ts_ms\":"
                + (tsMillis + 5) + "}";
    }

    @Test
    void eventHubsAndIotHubHeadersAreColumnsForRulesAndInRaw() {
        PipelineSpec spec = PipelineLoader.load("telemetry.yaml", new StringReader(TELEMETRY));
        List<SourceRecord> records = new ArrayList<>();
        String[] devices = {"boiler-7", "decommissioned", null};
        for (int i = 0; i < 3; i++) {
            Map<String, byte[]> headers = new LinkedHashMap<>();
            headers.put("x-opt-partition-key", ("site-" + i).getBytes(StandardCharsets.UTF_8));
            headers.put("x-opt-enqueued-time", "1748736000123".getBytes(StandardCharsets.UTF_8));
            headers.put("x-opt-sequence-number", String.valueOf(9000 + i).getBytes(StandardCharsets.UTF_8));
            if (devices[i] != null) {
                headers.put("iothub-connection-device-id", devices[i].getBytes(StandardCharsets.UTF_8));
            }
            String json = "{\"reading_id\":\"r" + i + "\",\"temperature\":21.5,\"at\":\"2025-06-01T00:00:0" + i + "Z\"}";
            records.add(new SourceRecord(i, 1748736000999L, null, json.getBytes(StandardCharsets.UTF_8), headers));
        }
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            StreamPath path = new StreamPath(lake, new PipelineCatalog(List.of(spec), "hybridlake."), cache,
                    System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            BatchOutcome o = path.process(new EventBatch("hybridlake.telemetry", 0, records));
            assertThat(o.refined()).isEqualTo(2);
            assertThat(o.filtered()).isEqualTo(1);

            List<Object[]> refined = Fixtures.rows(lake, TablePath.refinedStream("telemetry"));
            int key = spec.fieldIndex("_partition_key");
            int enqueued = spec.fieldIndex("_enqueued_time");
            int sequence = spec.fieldIndex("_sequence_number");
            int device = spec.fields().size(); // the derived column
            assertThat(refined).extracting(r -> Arrays.asList(r[0], r[key], r[enqueued], r[sequence], r[device]))
                    .containsExactlyInAnyOrder(
                            Arrays.asList("r0", "site-0", 1748736000123000L, 9000L, "boiler-7"),
                            Arrays.asList("r2", "site-2", 1748736000123000L, 9002L, null));

            int rawKey = ZoneSchemas.RAW.indexOf("partition_key");
            int rawSeq = ZoneSchemas.RAW.indexOf("sequence_number");
            int rawDevice = ZoneSchemas.RAW.indexOf("device_id");
            assertThat(Fixtures.rows(lake, TablePath.rawStream("telemetry")))
                    .extracting(r -> Arrays.asList(r[rawKey], r[rawSeq], r[rawDevice]))
                    .containsExactlyInAnyOrder(Arrays.asList("site-0", 9000L, "boiler-7"),
                            Arrays.asList("site-1", 9001L, "decommissioned"), Arrays.asList("site-2", 9002L, null));
        }
    }
}
