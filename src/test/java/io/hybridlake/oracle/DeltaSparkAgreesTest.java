package io.hybridlake.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.batch.Compactor;
import io.hybridlake.batch.Curator;
import io.hybridlake.batch.Merger;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.SnapshotSql;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import java.io.File;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * delta-spark (Spark 4.1 + Delta 4.4, a separate JVM built from {@code oracle/}) is the independent
 * oracle: it reads every kind of table Hybridlake writes — stream appends with several txn actions per
 * commit, checkpoints, batch imports, the merged table after merge-on-read merges (deletion vectors,
 * several merges marking rows of the same files) and compaction, the curated table, and tables that
 * gained a column by schema evolution (column mapping) — and gets exactly the rows delta-kernel reads;
 * and Hybridlake reads a table Spark wrote with deletion vectors (deletes and updates) correctly,
 * through Kernel and through the SQL engine. Run with {@code ./mvnw -B -Poracle verify}.
 */
@Tag("oracle")
class DeltaSparkAgreesTest {
    @TempDir
    Path dir;

    @Test
    void sparkReadsOurTablesAndWeReadSparks() throws Exception {
        Path lakeDir = dir.resolve("lake");
        // the built-in transactions pipeline, allowed to add columns: events gain a 'channel' half-way
        PipelineSpec evolving = PipelineLoader.load("transactions.yaml", new StringReader(
                Fixtures.builtin("transactions").text() + "\nschema: {evolution: add-columns}\n"));
        PipelineCatalog catalog = new PipelineCatalog(List.of(evolving), "hybridlake.");
        try (Lake lake = Lake.local(lakeDir); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            StreamPath stream = new StreamPath(lake, catalog, cache, System::currentTimeMillis,
                    new StreamMetrics(), 1 << 20);
            RecordImporter batch = new RecordImporter(lake, catalog, System::currentTimeMillis, 1 << 20);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            Instant base = Instant.parse("2025-01-28T23:40:00Z");
            long[] offsets = new long[2];
            for (int poll = 0; poll < 14; poll++) { // > 10 commits: checkpoints
                List<EventBatch> batches = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    List<SourceRecord> records = new ArrayList<>();
                    for (int i = 0; i < 15; i++) {
                        int n = poll * 100 + p * 50 + i;
                        String event = tx("t" + n, "c" + n % 5, n + 0.25, base.plusSeconds(poll * 60L + i));
                        records.add(record(offsets[p]++, poll < 7 ? event
                                : event.replace("}", ",\"channel\":\"ch" + n % 3 + "\"}")));
                    }
                    batches.add(new EventBatch("hybridlake.transactions", p, records));
                }
                stream.process(batches);
                if (poll % 3 == 2) {
                    merger.merge(catalog.table("transactions"));
                }
            }
            List<SourceRecord> updates = new ArrayList<>();
            for (int i = 0; i < 40; i++) { // later versions of stream transactions, and new ones
                updates.add(record(i, tx("t" + (i * 7), "c9", 1000 + i, base.plusSeconds(3600 + i))));
            }
            PipelineSpec spec = catalog.table("transactions");
            assertThat(spec.addedFields()).extracting(f -> f.name()).containsExactly("channel");
            batch.importBatch(spec, new EventBatch("file:oracle-updates", 0, updates));
            merger.merge(spec);
            new Compactor(lake, merger, 32L << 20, 2).compact(spec);
            // merge-on-read after compaction: two merges mark rows of the same compacted files
            for (int round = 1; round <= 2; round++) {
                List<SourceRecord> later = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    later.add(record(i, tx("t" + (i * 11 + round), "c8", 2000 * round + i, base.plusSeconds(7200 * round + i))));
                }
                batch.importBatch(spec, new EventBatch("file:oracle-updates-" + round, 0, later));
                Merger.Result r = merger.merge(spec);
                assertThat(r.updated()).isPositive();
                assertThat(r.filesWithDeletions()).isPositive();
            }
            LakeTable merged = lake.table(TablePath.merged("transactions"));
            assertThat(new TableFiles(merged).files(merged.latestVersion())).as("Spark reads a merged table with DVs")
                    .anyMatch(f -> f.deletionVector() != null);
            new Curator(lake).curate(spec);
        }
        try (Stream<Path> log = Files.list(lakeDir.resolve("raw/stream/transactions/_delta_log"))) {
            assertThat(log.map(Path::toString)).anyMatch(f -> f.endsWith(".checkpoint.parquet"));
        }

        Path out = Files.createDirectories(dir.resolve("spark"));
        Path dvTable = dir.resolve("spark-dv");
        Map<String, String[]> tables = Map.of(
                "raw_stream", new String[] {"raw/stream/transactions", "topic,partition,offset,partition_key,sequence_number"},
                "refined_stream", new String[] {"refined/stream/transactions", "transaction_id,customer_id,amount,channel,event_date,_source_offset"},
                "refined_batch", new String[] {"refined/batch/transactions", "transaction_id,customer_id,amount,event_date"},
                "merged", new String[] {"refined/merged/transactions", "transaction_id,customer_id,amount,channel,source_system,_deleted"},
                "curated", new String[] {"curated/warehouse/customer_daily_totals", "event_date,customer_id,transactions,total_amount"});
        List<String> args = new ArrayList<>(List.of("write-dv", dvTable.toString(), "--", "read", out.toString()));
        tables.forEach((name, t) -> args.addAll(List.of(name, lakeDir.resolve(t[0]).toString(), t[1])));
        runOracle(args);

        try (Lake lake = Lake.local(lakeDir)) {
            for (Map.Entry<String, String[]> t : tables.entrySet()) {
                List<String> spark = Files.readAllLines(out.resolve(t.getKey()), StandardCharsets.UTF_8);
                assertThat(ours(lake, t.getValue()[0], t.getValue()[1].split(",")))
                        .as("rows of %s, Spark vs Hybridlake", t.getValue()[0]).isEqualTo(spark).isNotEmpty();
            }
        }

        try (Lake spark = Lake.local(dvTable.getParent())) {
            List<String> read = ours(spark, dvTable.getFileName().toString(), new String[] {"id", "v", "g"});
            List<String> expected = new ArrayList<>();
            for (long id = 0; id < 1000; id++) {
                if (id % 7 != 0) {
                    expected.add(id + "|" + (id < 10 ? -1.0 : id * 2.0) + "|" + id % 3);
                }
            }
            expected.sort(null);
            assertThat(read).isEqualTo(expected);
            LakeTable sparkDvTable = spark.table(new TablePath(dvTable.getFileName().toString()));
            TableReader sparkTable = new TableReader(sparkDvTable);
            assertThat(sparkTable.info(OptionalLong.empty()).rowCount()).as("rows counted without those Spark's DVs delete")
                    .isEqualTo(expected.size());
            // the SQL engine (DuckDB over the files) leaves out the rows Spark's vectors delete
            DuckDb duckDb = new DuckDb(dvTable.getParent().toString(),
                    new DuckDb.Limits(10_000, Duration.ofSeconds(60), "256MB", 1));
            try (DuckDb.Session session = duckDb.open("oracle");
                    Statement s = session.connection().createStatement();
                    ResultSet r = s.executeQuery("SELECT id, v, g FROM (" + SnapshotSql.select(session.connection(),
                            new TableFiles(sparkDvTable).snapshotFiles(OptionalLong.empty())) + ")")) {
                List<String> sql = new ArrayList<>();
                while (r.next()) {
                    sql.add(r.getLong(1) + "|" + r.getDouble(2) + "|" + r.getLong(3));
                }
                sql.sort(null);
                assertThat(sql).as("SQL over Spark's deletion vectors").isEqualTo(expected);
            }
        }
    }

    /** The columns of every row as Spark's string casts print them, joined with '|', sorted. */
    static List<String> ours(Lake lake, String table, String[] columns) {
        List<String> lines = new ArrayList<>();
        TableReader reader = new TableReader(lake.table(new TablePath(table)));
        TableSchema[] schema = new TableSchema[1];
        List<Object[]> rows = new ArrayList<>();
        schema[0] = reader.forEachRow(OptionalLong.empty(), rows::add);
        for (Object[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (String c : columns) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                int i = schema[0].indexOf(c);
                Object v = row[i];
                sb.append(v == null ? "null" : switch (schema[0].column(i).type()) {
                    case DATE -> LocalDate.ofEpochDay((Integer) v).toString();
                    default -> v.toString();
                });
            }
            lines.add(sb.toString());
        }
        lines.sort(null);
        return lines;
    }

    static void runOracle(List<String> args) throws Exception {
        Path oracle = Path.of("oracle").toAbsolutePath();
        String classpath = oracle.resolve("target/classes") + File.pathSeparator
                + Files.readString(oracle.resolve("target/classpath.txt")).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", classpath, "io.hybridlake.oracle.SparkOracle"));
        command.addAll(args);
        Path log = Files.createTempFile("spark-oracle", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the Spark oracle finished").isTrue();
        assertThat(p.exitValue()).as("the Spark oracle succeeded; its log: %s", log).isZero();
    }

    private static SourceRecord record(long offset, String json) {
        return new SourceRecord(offset, 0, null, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static String tx(String id, String customer, double amount, Instant at) {
        return "{\"transaction_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"amount\":" + amount
                + ",\"status\":\"completed\",\"transaction_date\":\"" + at + "\"}";
    }
}
