package io.hybridlake.oracle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * delta-spark as an independent reader and writer of Delta tables (local mode, 2 threads):
 * <ul>
 * <li>{@code read <out dir> (<name> <table dir> <col,col,...>)...}: for each table, every row's columns
 * joined with '|' (Spark's string casts, null as "null"), sorted, one per line, in {@code <out dir>/<name>};
 * <li>{@code write-dv <table dir>}: a table with deletion vectors: ids 0..999, v = id * 2, g = id % 3
 * as text; then rows with id % 7 = 0 deleted and v set to -1 where id &lt; 10 (both through DVs).
 * <li>{@code merge-bench <lake dir> <rounds> [deletion-vectors|copy-on-write]}: delta-spark's MERGE on
 * the data of Hybridlake's MergeBenchmark: the merged table as built (version 1) copied into a Spark
 * Delta table (with {@code delta.enableDeletionVectors} if asked: MERGE then marks rows instead of
 * rewriting files), then each round's upserts (refined/batch rows of {@code file:upserts-<n>}) merged
 * with "newer event wins"; prints each MERGE's time (round 0 warms up).
 * <li>{@code sql <statement>...}: each statement run as Spark SQL (another engine changing a table:
 * {@code ALTER TABLE delta.`<dir>` ADD COLUMNS …}, {@code OPTIMIZE}, {@code INSERT}, …).
 * <li>{@code stream-bench …}: Spark Structured Streaming from Kafka into Delta, the stream benchmark's
 * peer (see {@link StreamPeer}); {@code stream-fresh …} the same with a 1 s trigger, timing each row
 * from produced to committed while the benchmark sends at a fixed rate (see {@link FreshnessPeer}).
 * <li>{@code sql-bench <table dir> <runs> <sql with {t} for the table>}: Spark SQL over the Delta table
 * as a temporary view {@code t}, run {@code runs} times (the first warms up); prints each run's time.
 * </ul>
 * Several commands can be given at once, separated by {@code --}, to pay Spark's start once.
 */
public final class SparkOracle {
    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("hybridlake-oracle")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .getOrCreate();
        try {
            List<String> command = new ArrayList<>();
            for (String arg : args) {
                if (arg.equals("--")) {
                    run(spark, command);
                    command.clear();
                } else {
                    command.add(arg);
                }
            }
            run(spark, command);
        } finally {
            spark.stop();
        }
    }

    private static void run(SparkSession spark, List<String> args) throws Exception {
        if (args.isEmpty()) {
            return;
        }
        switch (args.get(0)) {
            case "read" -> {
                for (int i = 2; i + 2 < args.size(); i += 3) {
                    read(spark, args.get(i + 1), args.get(i + 2).split(","), Path.of(args.get(1), args.get(i)));
                }
            }
            case "write-dv" -> writeWithDeletionVectors(spark, args.get(1));
            case "merge-bench" -> mergeBench(spark, args.get(1), Integer.parseInt(args.get(2)),
                    args.size() > 3 && args.get(3).equals("deletion-vectors"));
            case "sql" -> args.subList(1, args.size()).forEach(spark::sql);
            case "sql-bench" -> sqlBench(spark, args.get(1), Integer.parseInt(args.get(2)), args.get(3));
            case "stream-bench" -> StreamPeer.run(spark, args.subList(1, args.size()));
            case "stream-fresh" -> FreshnessPeer.run(spark, args.subList(1, args.size()));
            default -> throw new IllegalArgumentException("unknown command " + args.get(0));
        }
    }

    private static void read(SparkSession spark, String table, String[] columns, Path out) throws Exception {
        Column[] cols = Arrays.stream(columns)
                .map(c -> functions.coalesce(functions.col(c).cast("string"), functions.lit("null"))).toArray(Column[]::new);
        List<String> lines = new ArrayList<>();
        for (Row r : spark.read().format("delta").load(table).select(functions.concat_ws("|", cols)).collectAsList()) {
            lines.add(r.getString(0));
        }
        lines.sort(null);
        Files.write(out, lines, StandardCharsets.UTF_8);
    }

    private static void mergeBench(SparkSession spark, String lake, int rounds, boolean deletionVectors) {
        String target = lake + "/spark-merge-target-" + (deletionVectors ? "dv" : "cow");
        var merged = spark.read().format("delta").option("versionAsOf", 1).load(lake + "/refined/merged/transactions")
                .drop("source_system", "_deleted");
        spark.conf().set("spark.databricks.delta.properties.defaults.enableDeletionVectors", deletionVectors);
        merged.write().format("delta").partitionBy("event_date").mode("overwrite").save(target);
        String mode = deletionVectors ? "with deletion vectors" : "copy-on-write";
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            // several versions of a key in one batch: keep the latest (Spark's MERGE refuses duplicates)
            var latestFirst = org.apache.spark.sql.expressions.Window.partitionBy("transaction_id")
                    .orderBy(functions.col("transaction_date").desc(), functions.col("_source_offset").desc());
            var upserts = spark.read().format("delta").load(lake + "/refined/batch/transactions")
                    .where(functions.col("_source_topic").equalTo("file:upserts-" + round))
                    .withColumn("_n", functions.row_number().over(latestFirst)).where("_n = 1").drop("_n");
            io.delta.tables.DeltaTable.forPath(spark, target).as("t")
                    .merge(upserts.as("s"), "t.transaction_id = s.transaction_id")
                    .whenMatched("s.transaction_date > t.transaction_date").updateAll()
                    .whenNotMatched().insertAll()
                    .execute();
            // one println: Spark's log lines share the stream and must not split this one
            System.out.println(String.format("delta-spark %s %s: %.2f s", mode, round == 0 ? "warm-up" : "merge " + round,
                    (System.nanoTime() - start) / 1e9));
        }
    }

    private static void sqlBench(SparkSession spark, String table, int runs, String sql) {
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            spark.read().format("delta").load(table).createOrReplaceTempView("t");
            List<Row> rows = spark.sql(sql).collectAsList();
            System.out.printf("delta-spark sql %s: %.3f s (%d rows)%n", run == 0 ? "warm-up" : "run " + run,
                    (System.nanoTime() - start) / 1e9, rows.size());
        }
    }

    private static void writeWithDeletionVectors(SparkSession spark, String table) {
        spark.range(0, 1000).selectExpr("id", "cast(id * 2 as double) as v", "cast(id % 3 as string) as g")
                .write().format("delta").option("delta.enableDeletionVectors", "true").save(table);
        spark.sql("DELETE FROM delta.`" + table + "` WHERE id % 7 = 0");
        spark.sql("UPDATE delta.`" + table + "` SET v = -1 WHERE id < 10");
    }
}
