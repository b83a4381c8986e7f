package io.hybridlake.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.to_date;

/**
 * The stream benchmark's peer: what a Spark user writes for a Hybridlake pipeline's refined path.
 * Kafka → JSON with the pipeline's schema → rows missing the key or event time dropped → the pipeline's
 * filter → watermark → {@code dropDuplicatesWithinWatermark} on the key → Delta append partitioned by
 * event day, with {@code Trigger.AvailableNow}, after a warm-up ({@link #warmUp}). It does less than the
 * platform does for the same events (no raw table, no dead letters, no windows, no speed cache), so the
 * ratio is conservative.
 *
 * <p>Arguments: {@code <bootstrap> <topic> <starting offsets JSON> <schema DDL> <key> <event time>
 * <filter SQL or -> <watermark, e.g. "1 hour"> <work dir>}. Prints
 * {@code spark-stream: <rows> rows in <s> s = <rows/s> rows/s} (query start to its end; session start excluded).
 */
final class StreamPeer {
    private StreamPeer() {
    }

    static void run(SparkSession spark, List<String> args) throws Exception {
        String bootstrap = args.get(0);
        String topic = args.get(1);
        String startingOffsets = args.get(2);
        StructType schema = StructType.fromDDL(args.get(3));
        String key = args.get(4);
        String eventTime = args.get(5);
        String filter = args.get(6);
        String watermark = args.get(7);
        String dir = args.get(8);
        spark.conf().set("spark.sql.streaming.numRecentProgressUpdates", "100000"); // every batch counted
        warmUp(spark, bootstrap, topic, startingOffsets, schema, key, eventTime, filter, dir);
        long start = System.nanoTime();
        Dataset<Row> events = refined(spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribe", topic)
                .option("startingOffsets", startingOffsets)
                .option("failOnDataLoss", "true")
                .load(), schema, key, eventTime, filter)
                .withWatermark(eventTime, watermark)
                .dropDuplicatesWithinWatermark(key);
        StreamingQuery query = events.withColumn("event_date", to_date(col(eventTime)))
                .writeStream().format("delta")
                .option("checkpointLocation", dir + "/checkpoint")
                .partitionBy("event_date")
                .trigger(Trigger.AvailableNow())
                .start(dir + "/table");
        query.awaitTermination(TimeUnit.HOURS.toMillis(1));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (query.isActive()) {
            query.stop();
            throw new IllegalStateException("the Spark stream did not finish within an hour");
        }
        if (query.exception().isDefined()) {
            throw query.exception().get();
        }
        long rows = 0;
        for (StreamingQueryProgress p : query.recentProgress()) {
            rows += p.numInputRows();
        }
        System.out.printf("spark-stream: %d rows in %.2f s = %.0f rows/s (%d micro-batches)%n", rows, seconds,
                rows / seconds, query.recentProgress().length);
    }

    /** The pipeline's refined rows of Kafka records; {@code carried} Kafka columns (e.g. the timestamp) kept beside them. */
    static Dataset<Row> refined(Dataset<Row> kafka, StructType schema, String key, String eventTime, String filter,
            String... carried) {
        List<Column> columns = new ArrayList<>(List.of(from_json(col("value").cast("string"), schema).as("e")));
        List<String> kept = new ArrayList<>(List.of("e.*"));
        for (String c : carried) {
            columns.add(col(c).as("kafka_" + c));
            kept.add("kafka_" + c);
        }
        Dataset<Row> rows = kafka.select(columns.toArray(Column[]::new)).selectExpr(kept.toArray(String[]::new))
                .where(col(key).isNotNull().and(col(eventTime).isNotNull()));
        return filter.equals("-") ? rows : rows.where(filter);
    }

    /**
     * The platform is measured after a warm-up, so Spark is too: the same plan as a batch query over the
     * events before the measured ones (the platform's warm-up events), into a scratch table, compiles and
     * JIT-warms the JSON, de-duplication and Delta write paths before the clock starts.
     */
    static void warmUp(SparkSession spark, String bootstrap, String topic, String endingOffsets,
            StructType schema, String key, String eventTime, String filter, String dir) {
        refined(spark.read().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .option("endingOffsets", endingOffsets)
                .load(), schema, key, eventTime, filter)
                .dropDuplicates(key)
                .withColumn("event_date", to_date(col(eventTime)))
                .write().format("delta").partitionBy("event_date").save(dir + "/warm-up");
    }
}
