package io.hybridlake.oracle;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

/**
 * The stream benchmark's freshness peer: the plan of {@link StreamPeer} with a 1 s processing-time
 * trigger (how a Spark user gets low latency from Kafka into Delta), running while the benchmark sends
 * at a fixed rate. Each micro-batch is appended to Delta in {@code foreachBatch} (idempotent by
 * {@code txnAppId}/{@code txnVersion}) with its rows' Kafka timestamps (the producer's, as the platform
 * measures) and its id, and the time its commit returned is noted; a row's freshness (produced →
 * queryable) is its micro-batch's commit time minus its timestamp, read back from the table once the
 * stream is stopped, so measuring adds two columns to the write and nothing else.
 *
 * <p>Like the platform, the peer is measured after a warm-up at the same rate: the query's first
 * micro-batches compile and JIT-warm its streaming path (state store included), which a batch query
 * does not. Arguments: those of {@link StreamPeer}, then the number of warm-up records and of measured
 * records. Prints {@code spark-fresh: ready} once the query runs (the benchmark sends the warm-up),
 * {@code spark-fresh: warmed up} once it has read the warm-up (the benchmark sends the measured trace;
 * only later micro-batches are measured), and at the end
 * {@code spark-fresh: <rows> rows, freshness p50 <ms> ms, p99 <ms> ms, p99.9 <ms> ms}.
 */
final class FreshnessPeer {
    private FreshnessPeer() {
    }

    static void run(SparkSession spark, List<String> args) throws Exception {
        String bootstrap = args.get(0);
        String topic = args.get(1);
        String startingOffsets = args.get(2);
        StructType schema = StructType.fromDDL(args.get(3));
        String key = args.get(4);
        String eventTime = args.get(5);
        String filter = args.get(6);
        String dir = args.get(8);
        long warmUpRecords = Long.parseLong(args.get(9));
        long records = Long.parseLong(args.get(10));
        spark.conf().set("spark.sql.streaming.numRecentProgressUpdates", "100000");
        Map<Long, Long> committedAt = new ConcurrentHashMap<>(); // micro-batch id → when its commit returned
        VoidFunction2<Dataset<Row>, Long> append = (batch, id) -> {
            batch.withColumn("micro_batch", lit(id)).write().format("delta").mode("append").partitionBy("event_date")
                    .option("txnAppId", "freshness-peer").option("txnVersion", id).save(dir + "/fresh");
            committedAt.put(id, System.currentTimeMillis());
        };
        StreamingQuery query = StreamPeer.refined(spark.readStream().format("kafka")
                        .option("kafka.bootstrap.servers", bootstrap)
                        .option("subscribe", topic)
                        .option("startingOffsets", startingOffsets)
                        .option("failOnDataLoss", "true")
                        .load(), schema, key, eventTime, filter, "timestamp")
                .withWatermark(eventTime, args.get(7))
                .dropDuplicatesWithinWatermark(key)
                .withColumn("event_date", to_date(col(eventTime)))
                .writeStream()
                .option("checkpointLocation", dir + "/fresh-checkpoint")
                .trigger(Trigger.ProcessingTime(1, TimeUnit.SECONDS))
                .foreachBatch(append)
                .start();
        query.processAllAvailable(); // the first, empty micro-batch: the query is running
        System.out.println("spark-fresh: ready");
        awaitInput(query, warmUpRecords);
        long firstMeasured = query.lastProgress().batchId() + 1;
        System.out.println("spark-fresh: warmed up");
        awaitInput(query, warmUpRecords + records);
        query.stop();
        // each row's Kafka timestamp and micro-batch, read back once the stream is stopped
        long[] sorted = spark.read().format("delta").load(dir + "/fresh").where(col("micro_batch").geq(firstMeasured))
                .select(col("micro_batch"), expr("unix_millis(kafka_timestamp)")).collectAsList().stream()
                .mapToLong(r -> committedAt.get(r.getLong(0)) - r.getLong(1)).sorted().toArray();
        long[] batchMillis = Arrays.stream(query.recentProgress()).filter(p -> p.batchId() >= firstMeasured)
                .mapToLong(StreamingQueryProgress::batchDuration).toArray();
        Arrays.sort(batchMillis);
        System.out.printf("spark-fresh: %d micro-batches, duration p50 %d ms, max %d ms%n", batchMillis.length,
                at(batchMillis, 0.5), at(batchMillis, 1));
        System.out.printf("spark-fresh: %d rows, freshness p50 %d ms, p99 %d ms, p99.9 %d ms%n", sorted.length,
                at(sorted, 0.5), at(sorted, 0.99), at(sorted, 0.999));
    }

    /** Waits until the query has read {@code records} Kafka records; fails on the query's error or after 30 minutes. */
    private static void awaitInput(StreamingQuery query, long records) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (inputRows(query) < records) {
            if (query.exception().isDefined()) {
                throw query.exception().get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Spark stream read " + inputRows(query) + " of " + records
                        + " records in 30 minutes");
            }
            query.awaitTermination(200);
        }
    }

    private static long inputRows(StreamingQuery query) {
        long rows = 0;
        for (StreamingQueryProgress p : query.recentProgress()) {
            rows += p.numInputRows();
        }
        return rows;
    }

    private static long at(long[] sorted, double quantile) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
    }
}
