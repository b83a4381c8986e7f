package io.hybridlake.bench;

import io.hybridlake.batch.Merger;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.RowBatch;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.lake.TransactionMark;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.ZoneSchemas;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.UnifiedQuery;
import io.hybridlake.serving.WindowQueries;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import org.jboss.logmanager.LogContext;

/**
 * Serving, in process on a local lake: (1) speed-cache point lookups (a key's windows of the last
 * hour), (2) the unified query for a key with a year of history (batch view in DuckDB + speed cache),
 * (3) an SQL aggregate over a 10M-row table, DuckDB here and — with {@code -Dbench.spark=true} —
 * delta-spark's SQL on the same table. History is streamed through the stream path (so the cache has
 * every window) and merged once. Run:
 * {@code ./mvnw -B -Poracle,bench verify -Dbench.main=io.hybridlake.bench.ServingBenchmark -Dbench.spark=true}.
 */
public final class ServingBenchmark {
    private static final Instant YEAR_START = Instant.parse("2025-01-01T00:00:00Z");
    private static final int CUSTOMERS = 200;
    private static final String AGGREGATE = "SELECT customer_id, count(*) AS n, sum(amount) AS total, avg(amount) AS mean "
            + "FROM %s GROUP BY customer_id ORDER BY total DESC LIMIT 10";

    public static void main(String[] args) throws Exception {
        LogContext.getLogContext().getLogger("").setLevel(Level.WARNING);
        long sqlRows = Long.getLong("bench.sql.rows", 10_000_000);
        PipelineSpec spec = Fixtures.builtin("transactions");
        PipelineCatalog catalog = new PipelineCatalog(List.of(spec), "hybridlake.");
        Path home = Files.createTempDirectory(Path.of("target"), "bench-serving").toAbsolutePath();
        Path lakeDir = home.resolve("lake");
        SplittableRandom random = new SplittableRandom(7);
        try (Lake lake = Lake.local(lakeDir); var cache = new MvStoreSpeedCache(home.resolve("cache.mv"))) {
            long events = streamYear(lake, catalog, cache, random);
            long t = System.nanoTime();
            new Merger(lake, System::currentTimeMillis).merge(spec);
            System.out.printf("history: %,d events (1 year, %d customers) streamed; merged in %.1f s%n", events, CUSTOMERS,
                    (System.nanoTime() - t) / 1e9);

            WindowQueries windows = new WindowQueries(catalog, cache);
            long[] lookups = new long[100_000];
            for (int i = -20_000; i < lookups.length; i++) { // the first 20k warm up
                String key = "c" + random.nextInt(CUSTOMERS);
                long s = System.nanoTime();
                int n = windows.windows("transactions", "customer_5m", key, 12).size();
                if (i >= 0) {
                    lookups[i] = System.nanoTime() - s;
                }
                if (n == 0) {
                    throw new IllegalStateException("no windows for " + key);
                }
            }
            report("speed-cache point lookup (12 windows of a key)", lookups);

            DuckDb duckDb = new DuckDb(lakeDir.toString(), new DuckDb.Limits(10_000, Duration.ofMinutes(5), "4GB", 2));
            UnifiedQuery unified = new UnifiedQuery(lake, catalog, cache, duckDb, System::currentTimeMillis);
            long[] answers = new long[60];
            for (int i = -10; i < answers.length; i++) {
                String key = "c" + random.nextInt(CUSTOMERS);
                long s = System.nanoTime();
                UnifiedQuery.Answer a = unified.query("transactions", "customer_5m", key, null, null, false);
                if (i >= 0) {
                    answers[i] = System.nanoTime() - s;
                }
                if (a.events() == 0) {
                    throw new IllegalStateException("empty answer for " + key);
                }
                if (i == 0) {
                    System.out.printf("unified answer for %s: %,d events, batch watermark %s, merged v%d%n", key, a.events(),
                            a.freshness().batchWatermark(), a.freshness().mergedVersion());
                }
            }
            report("unified query, a key with 1 year of history (totals)", answers);

            bulkTable(lake, spec, sqlRows, random);
            LakeSql sql = new LakeSql(lake, catalog, duckDb);
            for (int run = 0; run < 6; run++) {
                long s = System.nanoTime();
                LakeSql.Result r = sql.query(String.format(AGGREGATE, "refined_batch_transactions"), 0);
                System.out.printf("DuckDB sql %s: %.3f s (%d rows)%n", run == 0 ? "warm-up" : "run " + run,
                        (System.nanoTime() - s) / 1e9, r.rows().size());
            }
        }
        if (Boolean.getBoolean("bench.spark")) {
            MergeBenchmark.runOracle(List.of("sql-bench", lakeDir.resolve("refined/batch/transactions").toString(), "6",
                    String.format(AGGREGATE, "t")), "delta-spark sql");
        }
    }

    /** A year of transactions, every customer about once an hour, in time order, through the stream path. */
    private static long streamYear(Lake lake, PipelineCatalog catalog, MvStoreSpeedCache cache, SplittableRandom random) {
        StreamPath stream = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(), 1 << 20);
        long perCustomer = 365L * 24;
        long total = perCustomer * CUSTOMERS;
        long step = 365L * 86_400 * 1_000_000 / total; // micros between events
        long[] offsets = new long[2];
        List<List<SourceRecord>> parts = List.of(new ArrayList<>(), new ArrayList<>());
        for (long n = 0; n < total; n++) {
            Instant at = YEAR_START.plusNanos(n * step * 1000);
            String json = "{\"transaction_id\":\"t" + n + "\",\"customer_id\":\"c" + random.nextInt(CUSTOMERS)
                    + "\",\"amount\":" + random.nextInt(100_000) / 100.0 + ",\"currency\":\"EUR\",\"status\":\"completed\","
                    + "\"region\":\"eu\",\"transaction_date\":\"" + at + "\"}";
            int p = (int) (n % 2);
            parts.get(p).add(new SourceRecord(offsets[p]++, 0, null, json.getBytes(StandardCharsets.UTF_8), Map.of()));
            if (parts.get(1).size() == 25_000) {
                stream.process(List.of(new EventBatch("hybridlake.transactions", 0, parts.get(0)),
                        new EventBatch("hybridlake.transactions", 1, parts.get(1))));
                parts = List.of(new ArrayList<>(), new ArrayList<>());
            }
        }
        if (!parts.get(0).isEmpty()) {
            stream.process(List.of(new EventBatch("hybridlake.transactions", 0, parts.get(0)),
                    new EventBatch("hybridlake.transactions", 1, parts.get(1))));
        }
        return total;
    }

    /** {@code rows} refined rows appended straight to refined/batch (1M per commit): the SQL benchmark's table. */
    private static void bulkTable(Lake lake, PipelineSpec spec, long rows, SplittableRandom random) {
        TableSchema schema = ZoneSchemas.refined(new RowRules(spec));
        LakeTable table = lake.table(TablePath.refinedBatch(spec.table()));
        int id = schema.indexOf("transaction_id");
        int customer = schema.indexOf("customer_id");
        int amount = schema.indexOf("amount");
        int date = schema.indexOf("transaction_date");
        int day = schema.indexOf("event_date");
        long start = System.nanoTime();
        long yearStart = YEAR_START.getEpochSecond() * 1_000_000;
        for (long done = 0, chunk = 0; done < rows; chunk++) {
            int n = (int) Math.min(1_000_000, rows - done);
            RowBatch b = new RowBatch(schema, n);
            for (int i = 0; i < n; i++) {
                long micros = yearStart + random.nextLong(365L * 86_400 * 1_000_000);
                b.setObject(id, "b" + (done + i));
                b.setObject(customer, "c" + random.nextInt(100_000));
                b.setDouble(amount, random.nextInt(100_000) / 100.0);
                b.setObject(schema.indexOf("currency"), "EUR");
                b.setObject(schema.indexOf("status"), "completed");
                b.setLong(date, micros);
                b.setInt(day, (int) Math.floorDiv(micros, 86_400_000_000L));
                b.setDouble(schema.indexOf("amount_rounded"), 0);
                b.setObject(schema.indexOf("_source_topic"), "bulk");
                b.setInt(schema.indexOf("_source_partition"), 0);
                b.setLong(schema.indexOf("_source_offset"), done + i);
                b.setLong(schema.indexOf("_ingested_at"), micros);
                b.endRow();
            }
            table.append(b, new TransactionMark("bench-bulk", chunk));
            done += n;
        }
        System.out.printf("SQL table: %,d rows appended to refined/batch in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: %,d samples, p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", what, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }
}
