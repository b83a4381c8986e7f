package io.hybridlake.bench;

import io.hybridlake.batch.Compactor;
import io.hybridlake.batch.Merger;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.SnapshotFiles;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import io.hybridlake.stream.SourceRecord;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.logging.Level;
import org.jboss.logmanager.LogContext;

/**
 * MERGE of upserts (half updates of existing keys, half new keys) into a merged table of N rows, in
 * process: the core's Merger on a local lake, the shipped transactions pipeline (partitioned by day).
 * Rows are loaded through the batch path (not timed), the first merge builds the table, one small
 * merge warms the JIT, then each timed merge folds {@code bench.upserts} new batch rows in.
 * Run: {@code ./mvnw -B -Pbench verify -Dbench.main=io.hybridlake.bench.MergeBenchmark}.
 */
public final class MergeBenchmark {
    private static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        // Outside Quarkus nothing configures logging: Parquet would log every value it writes at DEBUG.
        LogContext.getLogContext().getLogger("").setLevel(Level.WARNING);
        long rows = Long.getLong("bench.rows", 1_000_000);
        int upserts = Integer.getInteger("bench.upserts", 100_000);
        String mode = System.getProperty("bench.merge.mode", "merge-on-read");
        String yaml = Fixtures.builtin("transactions").text();
        PipelineSpec spec = PipelineLoader.load("transactions.yaml", new StringReader(yaml + "\nmerge: {mode: " + mode + "}\n"));
        // the purge after the rounds: every file with a deleted row is rewritten without it
        PipelineSpec purging = PipelineLoader.load("transactions.yaml", new StringReader(yaml
                + "\nmerge: {mode: " + mode + ", purge_above: 0.000001}\n"));
        Path home = Files.createTempDirectory(Path.of("target"), "bench-merge").toAbsolutePath();
        SplittableRandom random = new SplittableRandom(3);
        Path lakeDir = home.resolve("lake");
        try (Lake lake = Lake.local(lakeDir)) {
            RecordImporter importer = new RecordImporter(lake, new PipelineCatalog(List.of(spec), "hybridlake."), System::currentTimeMillis, 1 << 20);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            long t0 = System.nanoTime();
            load(importer, spec, "initial", 0, rows, 0, random);
            long t1 = System.nanoTime();
            Merger.Result initial = merger.merge(spec);
            long t2 = System.nanoTime();
            System.out.printf("loaded %,d rows through the batch path in %.1f s; first merge (build, %s) %.1f s, heap pools' "
                    + "peaks summed (an upper bound) %,d MB, max heap %,d MB: %s%n", rows, (t1 - t0) / 1e9, mode, (t2 - t1) / 1e9, peakHeapBytes() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20, initial);
            LakeSql sql = new LakeSql(lake, new PipelineCatalog(List.of(spec), "hybridlake."), new DuckDb(lakeDir.toString(),
                    new DuckDb.Limits(100_000, Duration.ofMinutes(5), "2GB", 2)));
            sqlAggregate(sql, lake, "before the merges");
            long nextId = rows;
            for (int round = 0; round < 4; round++) {
                int n = round == 0 ? upserts / 10 : upserts; // round 0 warms the JIT up
                long updates = n / 2;
                List<Long> ids = new ArrayList<>(n);
                for (long i = 0; i < updates; i++) {
                    ids.add(random.nextLong(rows));
                }
                for (long i = updates; i < n; i++) {
                    ids.add(nextId++);
                }
                loadIds(importer, spec, "upserts-" + round, ids, 1 + round, random);
                long s = System.nanoTime();
                Merger.Result r = merger.merge(spec);
                double seconds = (System.nanoTime() - s) / 1e9;
                System.out.printf("%s: %,d upserts (%,d updates, %,d inserts) into %,d rows: %.2f s, %d files rewritten, %d given deletion vectors%n",
                        round == 0 ? "warm-up" : "merge " + round, n, r.updated(), r.inserted(), rows + nextId - rows - n,
                        seconds, r.filesRewritten(), r.filesWithDeletions());
            }
            sqlAggregate(sql, lake, "after 3 merge rounds");
            long p0 = System.nanoTime();
            // the compaction timer's work on refined/merged with the default small-file size: small files
            // of a partition joined, files with deleted rows rewritten without them
            new Compactor(lake, merger, 32L << 20, 2).compactMerged(purging);
            System.out.printf("compaction with purge: %.1f s%n", (System.nanoTime() - p0) / 1e9);
            sqlAggregate(sql, lake, "after compaction with purge");
        }
        if (Boolean.getBoolean("bench.spark")) {
            spark(lakeDir);
        }
    }

    /** The SQL endpoint's aggregate over the merged table's live rows: the median of 3 runs after a warm-up. */
    private static void sqlAggregate(LakeSql sql, Lake lake, String when) {
        SnapshotFiles files = new TableFiles(lake.table(TablePath.merged("transactions"))).snapshotFiles(OptionalLong.empty());
        System.out.printf("merged table %s: version %d, %d files, %d with deletion vectors (%,d rows deleted)%n", when,
                files.version(), files.files().size(), files.files().stream().filter(SnapshotFiles.File::hasDeletions).count(),
                files.files().stream().mapToLong(f -> f.deletedPositions().length).sum());
        String query = "SELECT event_date, count(*), sum(amount) FROM transactions GROUP BY event_date";
        sql.query(query, 0);
        double[] seconds = new double[3];
        for (int i = 0; i < 3; i++) {
            long s = System.nanoTime();
            sql.query(query, 0);
            seconds[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(seconds);
        System.out.printf("SQL aggregate over the merged table %s: %.3f s (median of 3; min %.3f, max %.3f)%n", when,
                seconds[1], seconds[0], seconds[2]);
    }

    /**
     * Each heap pool's highest use so far, summed: an upper bound of the peak (the pools peak at
     * different times); the max heap (-Xmx) is the bound that held.
     */
    private static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /**
     * delta-spark's MERGE of the same upserts into copies of the same table (oracle/, built by -Poracle):
     * with deletion vectors (its fastest setting) and copy-on-write.
     */
    private static void spark(Path lake) throws Exception {
        runOracle(List.of("merge-bench", lake.toString(), "4", "deletion-vectors"), "delta-spark");
        runOracle(List.of("merge-bench", lake.toString(), "4", "copy-on-write"), "delta-spark");
    }

    /**
     * Runs a command of the delta-spark oracle (oracle/, built by -Poracle); prints and returns its lines
     * starting with {@code prefix}.
     */
    static List<String> runOracle(List<String> command, String prefix) throws Exception {
        Process p = startOracle(command);
        List<String> lines;
        try (var out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            lines = out.lines().filter(l -> l.startsWith(prefix)).peek(System.out::println).toList();
        }
        if (p.waitFor() != 0 || lines.isEmpty()) {
            throw new IllegalStateException("the delta-spark oracle failed: " + command);
        }
        return lines;
    }

    /** Starts a command of the delta-spark oracle; its output (stderr merged) is the caller's to read. */
    static Process startOracle(List<String> command) throws Exception {
        Path oracle = Path.of("oracle").toAbsolutePath();
        String classpath = oracle.resolve("target/classes") + File.pathSeparator
                + Files.readString(oracle.resolve("target/classpath.txt")).strip();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx6g", "-cp", classpath, "io.hybridlake.oracle.SparkOracle"));
        cmd.addAll(command);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void load(RecordImporter importer, PipelineSpec spec, String name, long from, long to, int version,
            SplittableRandom random) {
        List<Long> ids = new ArrayList<>();
        for (long id = from; id < to; id++) {
            ids.add(id);
            if (ids.size() == 500_000) {
                loadIds(importer, spec, name + "-" + id, ids, version, random);
                ids.clear();
            }
        }
        if (!ids.isEmpty()) {
            loadIds(importer, spec, name, ids, version, random);
        }
    }

    /** One batch source per call; event times grow with {@code version} so later loads win. */
    private static void loadIds(RecordImporter importer, PipelineSpec spec, String source, List<Long> ids, int version,
            SplittableRandom random) {
        List<SourceRecord> chunk = new ArrayList<>(50_000);
        long offset = 0;
        for (long id : ids) {
            // a later version's rows are all later than an earlier version's: updates always win
            Instant at = BASE.plusSeconds(version * 30L * 86_400 + random.nextInt(30 * 86_400));
            String json = "{\"transaction_id\":\"t" + id + "\",\"customer_id\":\"c" + random.nextInt(100_000)
                    + "\",\"amount\":" + random.nextInt(100_000) / 100.0 + ",\"currency\":\"EUR\",\"status\":\"completed\","
                    + "\"region\":\"eu\",\"transaction_date\":\"" + at + "\"}";
            chunk.add(new SourceRecord(offset++, 0, null, json.getBytes(StandardCharsets.UTF_8), Map.of()));
            if (chunk.size() == 50_000) {
                importer.importBatch(spec, new EventBatch("file:" + source, 0, chunk));
                chunk = new ArrayList<>(50_000);
            }
        }
        if (!chunk.isEmpty()) {
            importer.importBatch(spec, new EventBatch("file:" + source, 0, chunk));
        }
    }
}
