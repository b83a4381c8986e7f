package io.hybridlake.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.batch.Merger;
import io.hybridlake.lake.Column;
import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.PipelineSpecException;
import io.hybridlake.serving.MvStoreSpeedCache;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline with {@code schema: {evolution: add-columns}}: new fields in events and files become
 * optional columns of every zone table, old rows read null, values are kept from the first event that
 * carries them, and the evolved pipeline survives a restart (the lake is its record).
 */
class SchemaEvolvesWithTheDataTest {
    static final String YAML = """
            table: readings
            fields:
              - {name: reading_id, type: string, nullable: false}
              - {name: device, type: string, nullable: false}
              - {name: value, type: double, nullable: false}
              - {name: read_at, type: timestamp, nullable: false}
            key: reading_id
            event_time: read_at
            derived:
              - {name: read_date, expr: "to_date(read_at)"}
            partition_by: [read_date]
            watermark: {out_of_order: 1h, allowed_lateness: unbounded}
            """;
    static final String TOPIC = "hybridlake.readings";

    @TempDir
    Path dir;

    private static String reading(int i, String extra) {
        return "{\"reading_id\":\"r" + i + "\",\"device\":\"d" + (i % 3) + "\",\"value\":" + (i * 0.5)
                + ",\"read_at\":\"2026-11-0" + (1 + i % 2) + "T10:00:00Z\"" + extra + "}";
    }

    private static EventBatch batch(long firstOffset, String... events) {
        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            records.add(Fixtures.record(firstOffset + i, events[i]));
        }
        return new EventBatch(TOPIC, 0, records);
    }

    private static PipelineSpec spec(String schemaSection) {
        return PipelineLoader.load("readings.yaml", new StringReader(YAML + schemaSection));
    }

    private static Map<String, Object> byId(Lake lake, TablePath path, String id) {
        TableSchema schema = lake.table(path).schema().orElseThrow();
        for (Object[] r : Fixtures.rows(lake, path)) {
            if (id.equals(r[schema.indexOf("reading_id")])) {
                Map<String, Object> row = new HashMap<>();
                for (int c = 0; c < schema.size(); c++) {
                    row.put(schema.column(c).name(), r[c]);
                }
                return row;
            }
        }
        throw new AssertionError("no row " + id + " in " + path.relative());
    }

    @Test
    void newFieldsBecomeColumnsOfEveryZoneTable() {
        PipelineSpec declared = spec("schema: {evolution: add-columns}\n");
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            PipelineCatalog catalog = new PipelineCatalog(List.of(declared), "hybridlake.");
            StreamPath stream = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            stream.process(batch(0, reading(0, ""), reading(1, "")));
            long versionBefore = lake.table(TablePath.refinedStream("readings")).latestVersion();

            BatchOutcome o = stream.process(batch(2, reading(2, ",\"firmware\":\"1.2\""),
                    reading(3, ",\"battery\":87,\"meta\":{\"nested\":true},\"Bad-Name\":1"),
                    reading(4, ",\"battery\":12.5"), "{\"not valid\":", reading(5, ",\"battery\":\"low\"")));
            assertThat(o.refined()).isEqualTo(3);
            assertThat(o.rejected()).as("the malformed event and the string battery").isEqualTo(2);

            PipelineSpec evolved = catalog.table("readings");
            assertThat(evolved.addedFields()).extracting(f -> f.name() + ":" + f.type())
                    .containsExactly("firmware:STRING", "battery:DOUBLE"); // 87 and 12.5: a double
            TableSchema refined = lake.table(TablePath.refinedStream("readings")).schema().orElseThrow();
            assertThat(refined.columns()).contains(Column.optional("firmware", ColumnType.STRING),
                    Column.optional("battery", ColumnType.DOUBLE));
            assertThat(refined.indexOf("meta")).as("nested values are not columns").isEqualTo(-1);
            assertThat(refined.indexOf("Bad-Name")).isEqualTo(-1);

            assertThat(byId(lake, TablePath.refinedStream("readings"), "r0")).containsEntry("firmware", null)
                    .containsEntry("battery", null);
            assertThat(byId(lake, TablePath.refinedStream("readings"), "r2")).containsEntry("firmware", "1.2");
            assertThat(byId(lake, TablePath.refinedStream("readings"), "r3")).containsEntry("battery", 87.0);
            assertThat(byId(lake, TablePath.refinedStream("readings"), "r4")).containsEntry("battery", 12.5);
            List<Object[]> rejected = Fixtures.rows(lake, TablePath.rejected("readings"));
            assertThat(rejected).extracting(r -> (String) r[6])
                    .anyMatch(reason -> reason.contains("'battery' should be a double but is low"));

            // the batch path: a file row with another new field evolves the same tables
            RecordImporter importer = new RecordImporter(lake, catalog, System::currentTimeMillis, 1 << 20);
            importer.importBatch(catalog.table("readings"), new EventBatch("file:a", 0,
                    List.of(Fixtures.record(0, reading(6, ",\"channel\":\"lte\",\"firmware\":\"1.3\"")))));
            assertThat(catalog.table("readings").addedFields()).extracting(f -> f.name())
                    .containsExactly("firmware", "battery", "channel");
            assertThat(byId(lake, TablePath.refinedBatch("readings"), "r6")).containsEntry("channel", "lte")
                    .containsEntry("firmware", "1.3").containsEntry("battery", null);
            assertThat(lake.table(TablePath.refinedStream("readings")).schema().orElseThrow().indexOf("channel"))
                    .as("the stream table gains the column too").isPositive();

            // MERGE carries the new columns into the unified table
            new Merger(lake, System::currentTimeMillis).merge(catalog.table("readings"));
            assertThat(byId(lake, TablePath.merged("readings"), "r2")).containsEntry("firmware", "1.2");
            assertThat(byId(lake, TablePath.merged("readings"), "r6")).containsEntry("channel", "lte");
            assertThat(byId(lake, TablePath.merged("readings"), "r0")).containsEntry("channel", null);
            assertThat(versionBefore).isPositive();
        }

        // a restart: the YAML alone does not declare the fields; the lake does
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            PipelineCatalog catalog = new PipelineCatalog(List.of(declared), "hybridlake.");
            PipelineSpec reconciled = new PipelineEvolution(lake, catalog).reconcile(declared);
            assertThat(reconciled.addedFields()).extracting(f -> f.name()).containsExactly("firmware", "battery", "channel");
            long version = lake.table(TablePath.refinedStream("readings")).latestVersion();
            StreamPath stream = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            assertThat(stream.process(batch(2, reading(2, ",\"firmware\":\"1.2\""))).replaySkipped()).isTrue();
            stream.process(batch(8, reading(8, ",\"firmware\":\"2.0\",\"channel\":\"wifi\"")));
            assertThat(byId(lake, TablePath.refinedStream("readings"), "r8")).containsEntry("firmware", "2.0")
                    .containsEntry("channel", "wifi");
            assertThat(lake.table(TablePath.refinedStream("readings")).latestVersion())
                    .as("one append, no schema change").isEqualTo(version + 1);
        }
    }

    @Test
    void withoutAddColumnsNewFieldsStayInRawOnlyAndContradictionsAreRefused() {
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            PipelineSpec fixed = spec("");
            PipelineCatalog catalog = new PipelineCatalog(List.of(fixed), "hybridlake.");
            StreamPath stream = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            stream.process(batch(0, reading(0, ",\"firmware\":\"1.2\"")));
            TableSchema refined = lake.table(TablePath.refinedStream("readings")).schema().orElseThrow();
            assertThat(refined.indexOf("firmware")).isEqualTo(-1);
            assertThat(Fixtures.rows(lake, TablePath.rawStream("readings"))).hasSize(1);

            // the YAML declares a new field: refused without add-columns, naming table and setting
            PipelineSpec declaresMore = PipelineLoader.load("readings.yaml", new StringReader(
                    YAML.replace("  - {name: read_at", "  - {name: site, type: string}\n  - {name: read_at")));
            PipelineCatalog second = new PipelineCatalog(List.of(declaresMore), "hybridlake.");
            assertThatThrownBy(() -> new PipelineEvolution(lake, second).reconcile(declaresMore))
                    .isInstanceOf(PipelineSpecException.class).hasMessageContaining("refined/stream/readings")
                    .hasMessageContaining("evolution: add-columns");

            // a changed type is refused even with add-columns
            PipelineSpec retyped = PipelineLoader.load("readings.yaml", new StringReader(
                    YAML.replace("{name: value, type: double", "{name: value, type: string")
                            + "schema: {evolution: add-columns}\n"));
            PipelineCatalog third = new PipelineCatalog(List.of(retyped), "hybridlake.");
            assertThatThrownBy(() -> new PipelineEvolution(lake, third).reconcile(retyped))
                    .hasMessageContaining("refined/stream/readings").hasMessageContaining("'value' is DOUBLE");

            // with add-columns the declared field is added, old rows read null
            PipelineSpec allowed = PipelineLoader.load("readings.yaml", new StringReader(
                    YAML.replace("  - {name: read_at", "  - {name: site, type: string}\n  - {name: read_at")
                            + "schema: {evolution: add-columns}\n"));
            PipelineCatalog fourth = new PipelineCatalog(List.of(allowed), "hybridlake.");
            new PipelineEvolution(lake, fourth).reconcile(allowed);
            assertThat(byId(lake, TablePath.refinedStream("readings"), "r0")).containsEntry("site", null);
        }
    }
}
