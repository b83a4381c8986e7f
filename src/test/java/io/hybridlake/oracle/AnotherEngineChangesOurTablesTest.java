package io.hybridlake.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.PipelineEvolution;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * delta-spark changes a table the stream path writes, between two runs of the platform: it adds a
 * nullable column, updates a row's value in it, sets a table property and OPTIMIZEs. The platform
 * starts again without complaint (columns are matched by name, order does not matter), keeps writing
 * (the new column as null, or from the events once the pipeline evolves), and Spark and Hybridlake read
 * the same rows. A column renamed under column mapping is refused for writing with a message naming
 * the table and the column.
 */
@Tag("oracle")
class AnotherEngineChangesOurTablesTest {
    @TempDir
    Path dir;

    @Test
    void columnsSparkAddsAreKeptAndTheStreamGoesOn() throws Exception {
        Path lakeDir = dir.resolve("lake");
        String refined = lakeDir.resolve("refined/stream/transactions").toString();
        PipelineSpec declared = Fixtures.builtin("transactions");
        run(lakeDir, declared, 0, 50, false);

        DeltaSparkAgreesTest.runOracle(List.of("sql",
                "ALTER TABLE delta.`" + refined + "` ADD COLUMNS (note STRING)",
                "UPDATE delta.`" + refined + "` SET note = 'from spark' WHERE transaction_id = 't1'",
                "ALTER TABLE delta.`" + refined + "` SET TBLPROPERTIES ('owner.team' = 'payments')",
                "OPTIMIZE delta.`" + refined + "`"));

        run(lakeDir, declared, 50, 100, false); // the platform again, pipeline unchanged: no complaint
        PipelineSpec evolving = PipelineLoader.load("transactions.yaml", new StringReader(
                Fixtures.builtin("transactions").text() + "\nschema: {evolution: add-columns}\n"));
        PipelineSpec reconciled = run(lakeDir, evolving, 100, 150, true); // now the events fill it
        assertThat(reconciled.addedFields()).extracting(f -> f.name()).contains("note");

        Path out = Files.createDirectories(dir.resolve("spark"));
        String columns = "transaction_id,note,amount,_source_offset";
        DeltaSparkAgreesTest.runOracle(List.of("read", out.toString(), "refined", refined, columns));
        try (Lake lake = Lake.local(lakeDir)) {
            List<String> ours = DeltaSparkAgreesTest.ours(lake, "refined/stream/transactions", columns.split(","));
            assertThat(ours).hasSize(150).isEqualTo(Files.readAllLines(out.resolve("refined"), StandardCharsets.UTF_8));
            assertThat(ours).contains("t1|from spark|1.25|1", "t60|null|60.25|60", "t120|n120|120.25|120");
        }
    }

    @Test
    void aColumnRenamedUnderColumnMappingStopsOnlyWritesNamingIt() throws Exception {
        Path lakeDir = dir.resolve("lake");
        String refined = lakeDir.resolve("refined/stream/transactions").toString();
        run(lakeDir, Fixtures.builtin("transactions"), 0, 20, false);
        DeltaSparkAgreesTest.runOracle(List.of("sql",
                "ALTER TABLE delta.`" + refined + "` SET TBLPROPERTIES ('delta.minReaderVersion' = '2', "
                        + "'delta.minWriterVersion' = '5', 'delta.columnMapping.mode' = 'name')",
                "ALTER TABLE delta.`" + refined + "` RENAME COLUMN region TO sales_region"));
        assertThatThrownBy(() -> run(lakeDir, Fixtures.builtin("transactions"), 20, 40, false))
                .isInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(messages(e)).contains("refined/stream/transactions")
                        .containsAnyOf("sales_region", "'region'"));
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" / ");
        }
        return sb.toString();
    }

    /** One run of the platform's stream path over offsets [from, to) of partition 0; returns the pipeline. */
    private static PipelineSpec run(Path lakeDir, PipelineSpec declared, int from, int to, boolean withNote) {
        PipelineCatalog catalog = new PipelineCatalog(List.of(declared), "hybridlake.");
        try (Lake lake = Lake.local(lakeDir); var cache = new MvStoreSpeedCache(lakeDir.resolveSibling("cache.mv"))) {
            PipelineSpec spec = new PipelineEvolution(lake, catalog).reconcile(declared);
            StreamPath stream = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            List<SourceRecord> records = new ArrayList<>();
            Instant base = Instant.parse("2026-11-24T10:00:00Z");
            for (int i = from; i < to; i++) {
                String json = "{\"transaction_id\":\"t" + i + "\",\"customer_id\":\"c" + i % 5 + "\",\"amount\":" + (i + 0.25)
                        + ",\"status\":\"completed\",\"region\":\"eu\",\"transaction_date\":\"" + base.plusSeconds(i) + "\""
                        + (withNote ? ",\"note\":\"n" + i + "\"" : "") + "}";
                records.add(new SourceRecord(i, 0, null, json.getBytes(StandardCharsets.UTF_8), Map.of()));
            }
            var outcome = stream.process(new EventBatch("hybridlake.transactions", 0, records));
            assertThat(outcome.refined()).isEqualTo(to - from);
            return catalog.table(spec.table());
        }
    }
}
