package io.hybridlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.it.PlatformProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Pushes events of one shipped pipeline ({@code bench.table}: transactions, or user_events for the
 * windowed scenario) through the packaged platform (embedded broker → stream path → Delta tables +
 * speed cache) from an external producer, and reads the platform's own counters: events/s from first
 * send to last raw commit, and freshness (producer timestamp → visible in tables and cache) p50/p99.
 *
 * <p>Phase 1: N events as fast as possible. Phase 2+: fixed rates for a fixed time on a fresh platform.
 * Run: {@code ./mvnw -B -Pbench verify} (options in BENCHMARKS.md).
 */
public final class StreamBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = System.getProperty("bench.table", "transactions");
    private static final String[] EVENT_TYPES = {"page_view", "click", "add_to_cart", "purchase", "login", "logout"};

    public static void main(String[] args) throws Exception {
        long events = Long.getLong("bench.events", 1_000_000);
        int seconds = Integer.getInteger("bench.seconds", 30);
        String rates = System.getProperty("bench.rates", "5000,20000,50000");
        System.out.printf("Hybridlake stream benchmark (%s) on %d cores, %s%n", TABLE,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Result max = run(events, 0, 0);
        System.out.printf("throughput: %,d events in %.1f s = %,.0f events/s sustained; freshness p50 %d ms, p99 %d ms%n",
                max.events, max.seconds, max.events / max.seconds, max.p50, max.p99);
        for (String r : rates.split(",")) {
            if (r.isBlank()) {
                continue; // -Dbench.rates= runs the throughput phase only (e.g. for a profile)
            }
            int rate = Integer.parseInt(r.strip());
            Result fixed = run((long) rate * seconds, rate, seconds);
            System.out.printf("at %,d events/s for %d s: %,d events, freshness p50 %d ms, p99 %d ms, p99.9 %d ms%n",
                    rate, seconds, fixed.events, fixed.p50, fixed.p99, fixed.p999);
        }
    }

    record Result(long events, double seconds, long p50, long p99, long p999) {
    }

    /** One fresh platform; rate 0 means "as fast as possible". */
    static Result run(long events, int rate, int seconds) throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "bench").toAbsolutePath();
        int brokerPort = PlatformProcess.freePort();
        try (PlatformProcess platform = PlatformProcess.start(home, PlatformProcess.freePort(), brokerPort);
                var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", "127.0.0.1:" + brokerPort,
                        "linger.ms", 5, "batch.size", 262144, "acks", "1"),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            warmUp(platform, producer, rate > 0 ? rate : 20_000);
            // Payloads are built before the clock starts: the load generator shares the platform's 2 cores,
            // and formatting JSON is its cost, not the platform's. Sending through Kafka stays measured.
            byte[][] keys = new byte[(int) events][];
            byte[][] values = new byte[(int) events][];
            SplittableRandom random = new SplittableRandom(42);
            long sendStart = System.currentTimeMillis() + 1000; // roughly when sending starts
            for (int i = 0; i < events; i++) {
                // event time: when the event is due, minus up to 20 s (out of order within the 30 s tolerance)
                long due = sendStart + (rate > 0 ? i * 1000L / rate : 0);
                String eventTime = Instant.ofEpochMilli(due - random.nextInt(20_000)).toString();
                String[] event = event(TABLE, i, random, eventTime);
                keys[i] = event[0].getBytes(StandardCharsets.UTF_8);
                values[i] = event[1].getBytes(StandardCharsets.UTF_8);
            }
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                if (rate > 0) {
                    pace(start, i, rate);
                }
                producer.send(new ProducerRecord<>("hybridlake." + TABLE, keys[i], values[i]));
            }
            producer.flush();
            JsonNode status;
            do {
                Thread.sleep(100); // polling the platform's counters, not synchronising a test
                status = JSON.readTree(platform.get("/streamStatus").body());
            } while (status.get("received").asLong() < events);
            double elapsed = (System.nanoTime() - start) / 1e9;
            JsonNode f = status.get("freshnessMillis");
            System.out.printf("  batches %d, batch p50 %d ms p99 %d ms, time per stage (ms, summed over partitions) %s%n",
                    status.get("batches").asLong(), status.get("batchMillis").get("p50").asLong(),
                    status.get("batchMillis").get("p99").asLong(), status.get("stageMillis"));
            platform.stop();
            return new Result(events, elapsed, f.get("p50").asLong(), f.get("p99").asLong(), f.get("p999").asLong());
        }
    }

    /**
     * Runs the platform at {@code rate} events/s for the warm-up time (JIT compilation, consumer group
     * join, first checkpoints), waits until it has caught up, then resets its counters: the figures
     * that follow are steady state.
     */
    private static void warmUp(PlatformProcess platform, KafkaProducer<byte[], byte[]> producer, int rate)
            throws Exception {
        int seconds = Integer.getInteger("bench.warmup", 10);
        long events = (long) rate * seconds;
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(1);
        for (long i = 0; i < events; i++) {
            pace(start, i, rate);
            String[] event = event(TABLE, -1 - i, random, Instant.now().toString());
            producer.send(new ProducerRecord<>("hybridlake." + TABLE, event[0].getBytes(StandardCharsets.UTF_8),
                    event[1].getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        while (JSON.readTree(platform.get("/streamStatus").body()).get("received").asLong() < events) {
            Thread.sleep(100); // polling the platform's counters
        }
        if (platform.post("/resetStreamStatus", "application/json", "").statusCode() != 200) {
            throw new IllegalStateException("cannot reset the platform's stream metrics");
        }
    }

    /**
     * Key and JSON of event {@code i}: a transaction (10,000 customers, 10% pending so filtered out) or
     * a user event (10,000 users, six event types, an amount on purchases).
     */
    private static String[] event(String table, long i, SplittableRandom random, String eventTime) {
        if (table.equals("user_events")) {
            String user = "u" + random.nextInt(10_000);
            String type = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
            return new String[] {"e" + i, "{\"event_id\":\"e" + i + "\",\"event_type\":\"" + type + "\",\"user_id\":\""
                    + user + "\",\"event_timestamp\":\"" + eventTime + "\",\"amount\":"
                    + (type.equals("purchase") ? random.nextInt(100_000) / 100.0 : "null") + ",\"page\":\"/p/"
                    + random.nextInt(500) + "\"}"};
        }
        String customer = "c" + random.nextInt(10_000);
        return new String[] {"t" + i, "{\"transaction_id\":\"t" + i + "\",\"customer_id\":\"" + customer
                + "\",\"amount\":" + random.nextInt(100_000) / 100.0 + ",\"currency\":\"EUR\",\"status\":\""
                + (random.nextInt(10) == 0 ? "pending" : "completed") + "\",\"region\":\"eu-west\","
                + "\"transaction_date\":\"" + eventTime + "\"}"};
    }

    /**
     * Holds event {@code i} back until its time at {@code rate} events/s, sleeping in 1 ms steps: parking
     * for the 20 µs between two events at 50k/s would keep a core busy waking up, on the platform's 2 cores.
     */
    private static void pace(long start, long i, int rate) {
        long due = start + i * 1_000_000_000L / rate;
        while (System.nanoTime() < due) {
            LockSupport.parkNanos(1_000_000);
        }
    }

}
