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

    private static void writeWithDeletionVectors(SparkSession spark, String table) {
        spark.range(0, 1000).selectExpr("id", "cast(id * 2 as double) as v", "cast(id % 3 as string) as g")
                .write().format("delta").option("delta.enableDeletionVectors", "true").save(table);
        spark.sql("DELETE FROM delta.`" + table + "` WHERE id % 7 = 0");
        spark.sql("UPDATE delta.`" + table + "` SET v = -1 WHERE id < 10");
    }
}
