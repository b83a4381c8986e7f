package io.hybridlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.it.PlatformProcess;
import java.net.ServerSocket;
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
 * Pushes transactions through the packaged platform (embedded broker → stream path → Delta tables +
 * speed cache) from an external producer, and reads the platform's own counters: events/s from first
 * send to last raw commit, and freshness (producer timestamp → visible in tables and cache) p50/p99.
 *
 * <p>Phase 1: N events as fast as possible. Phase 2+: fixed rates for a fixed time on a fresh platform.
 * Run: {@code ./mvnw -B -Pbench verify} (options in BENCHMARKS.md).
 */
public final class StreamBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        long events = Long.getLong("bench.events", 1_000_000);
        int seconds = Integer.getInteger("bench.seconds", 30);
        String rates = System.getProperty("bench.rates", "5000,20000,50000");
        System.out.printf("Hybridlake stream benchmark on %d cores, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Result max = run(events, 0, 0);
        System.out.printf("throughput: %,d events in %.1f s = %,.0f events/s sustained; freshness p50 %d ms, p99 %d ms%n",
                max.events, max.seconds, max.events / max.seconds, max.p50, max.p99);
        for (String r : rates.split(",")) {
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
        int brokerPort = freePort();
        try (PlatformProcess platform = PlatformProcess.start(home, freePort(), brokerPort);
                var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", "127.0.0.1:" + brokerPort,
                        "linger.ms", 5, "batch.size", 262144, "compression.type", "lz4", "acks", "1"),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            warmUp(platform, producer);
            SplittableRandom random = new SplittableRandom(42);
            long start = System.nanoTime();
            for (long i = 0; i < events; i++) {
                if (rate > 0) {
                    long due = start + i * 1_000_000_000L / rate;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                }
                String customer = "c" + random.nextInt(10_000);
                byte[] value = ("{\"transaction_id\":\"t" + i + "\",\"customer_id\":\"" + customer + "\",\"amount\":"
                        + random.nextInt(100_000) / 100.0 + ",\"currency\":\"EUR\",\"status\":\""
                        + (random.nextInt(10) == 0 ? "pending" : "completed") + "\",\"region\":\"eu-west\","
                        + "\"transaction_date\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>("hybridlake.transactions", customer.getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
            JsonNode status;
            do {
                Thread.sleep(100); // polling the platform's counters, not synchronising a test
                status = JSON.readTree(platform.get("/streamStatus").body());
            } while (status.get("received").asLong() < events);
            double elapsed = (System.nanoTime() - start) / 1e9;
            JsonNode f = status.get("freshnessMillis");
            platform.stop();
            return new Result(events, elapsed, f.get("p50").asLong(), f.get("p99").asLong(), f.get("p999").asLong());
        }
    }

    /** Until a first event is through, the consumer is still joining its group: keep that out of the figures. */
    private static void warmUp(PlatformProcess platform, KafkaProducer<byte[], byte[]> producer) throws Exception {
        for (int i = 0; i < 2; i++) {
            producer.send(new ProducerRecord<>("hybridlake.transactions", ("warm" + i).getBytes(StandardCharsets.UTF_8),
                    ("{\"transaction_id\":\"warm" + i + "\",\"customer_id\":\"w\",\"amount\":1,\"status\":\"completed\","
                            + "\"transaction_date\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        while (JSON.readTree(platform.get("/streamStatus").body()).get("received").asLong() < 2) {
            Thread.sleep(100); // polling the platform's counters
        }
        if (platform.post("/resetStreamStatus", "application/json", "").statusCode() != 200) {
            throw new IllegalStateException("cannot reset the platform's stream metrics");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
