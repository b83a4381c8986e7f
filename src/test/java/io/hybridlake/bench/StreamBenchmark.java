package io.hybridlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.azure.Azurite;
import io.hybridlake.it.PlatformProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Pushes a trace of one shipped pipeline ({@code bench.table}: transactions, or user_events for three
 * windows with count-distinct) through the packaged platform (embedded broker → stream path → Delta
 * tables + speed cache) from an external producer, and reads the platform's own counters: events/s
 * and freshness (producer timestamp → visible in the tables and the cache) p50/p99.
 *
 * <p>Two ways to time a trace ({@code bench.modes}): {@code backlog} pauses the pipeline, sends the whole
 * trace, then resumes it and times the drain (resume → last raw commit): the work Spark's
 * {@code Trigger.AvailableNow} does, and a catch-up after an outage or a replay, with the producer not
 * competing for the 2 cores; {@code sending} times first send → last raw commit while the producer runs.
 *
 * <p>Throughput: for each trace of {@code bench.traces} ({@link Traces}: live, realistic), {@code bench.repeat}
 * runs, each timing every mode of {@code bench.modes} on a fresh platform; with {@code bench.spark=true}
 * Spark Structured Streaming ({@code oracle/}, {@code StreamPeer}) then reads the last mode's events from
 * the same broker and topic, and each mode's figure, the peer's and their ratio are printed per run and
 * as min/median/max. Freshness: the live trace at each of {@code bench.rates}
 * for {@code bench.seconds}. Run: {@code ./mvnw -B -Pbench verify} (options in BENCHMARKS.md).
 */
public final class StreamBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = System.getProperty("bench.table", "transactions");
    private static final String TOPIC = "hybridlake." + TABLE;

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 1_000_000);
        int seconds = Integer.getInteger("bench.seconds", 30);
        int repeat = Integer.getInteger("bench.repeat", 3);
        boolean spark = Boolean.getBoolean("bench.spark");
        System.out.printf("Hybridlake stream benchmark (%s) on %d cores, %s%n", TABLE,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        List<String> modes = list(System.getProperty("bench.modes", "backlog,sending"));
        for (String trace : list(System.getProperty("bench.traces", "live,realistic"))) {
            Map<String, List<Double>> ours = new LinkedHashMap<>();
            Map<String, List<Double>> ratios = new LinkedHashMap<>();
            List<Double> peer = new ArrayList<>();
            for (int run = 1; run <= repeat; run++) {
                // each mode on a fresh platform; the peer once per run, after the last mode, on its broker
                Map<String, Double> rates = new LinkedHashMap<>();
                double peerRate = 0;
                for (int m = 0; m < modes.size(); m++) {
                    String mode = modes.get(m);
                    Result r = run(trace, events, 0, 0, spark && m == modes.size() - 1, backlog(mode));
                    rates.put(mode, r.events / r.seconds);
                    ours.computeIfAbsent(mode, k -> new ArrayList<>()).add(r.events / r.seconds);
                    System.out.printf("%s trace, %s, run %d: %,d events in %.1f s = %,.0f events/s; freshness p50 %d ms, "
                            + "p99 %d ms%n", trace, mode, run, r.events, r.seconds, r.events / r.seconds, r.p50, r.p99);
                    peerRate = Math.max(peerRate, r.peerRowsPerSecond);
                }
                if (peerRate > 0) {
                    peer.add(peerRate);
                    System.out.printf("%s trace, run %d: Spark Structured Streaming %,.0f rows/s%n", trace, run, peerRate);
                    for (Map.Entry<String, Double> e : rates.entrySet()) {
                        ratios.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue() / peerRate);
                        System.out.printf("%s trace, %s, run %d: ratio %.2fx%n", trace, e.getKey(), run, e.getValue() / peerRate);
                    }
                }
            }
            for (String mode : modes) {
                System.out.printf("%s trace, %s, %d runs: Hybridlake %s events/s%s%n", trace, mode, repeat,
                        spread(ours.get(mode), "%,.0f"), peer.isEmpty() ? "" : "; Spark " + spread(peer, "%,.0f")
                        + " rows/s; ratio " + spread(ratios.get(mode), "%.2fx"));
            }
        }
        for (String r : list(System.getProperty("bench.rates", "5000,20000,50000"))) {
            int rate = Integer.parseInt(r);
            for (int run = 1; run <= repeat; run++) {
                Result fixed = run("live", rate * seconds, rate, seconds, false, false);
                System.out.printf("at %,d events/s for %d s, run %d: %,d events, freshness p50 %d ms, p99 %d ms, p99.9 %d ms%n",
                        rate, seconds, run, fixed.events, fixed.p50, fixed.p99, fixed.p999);
            }
        }
    }

    private static boolean backlog(String mode) {
        return switch (mode) {
            case "backlog" -> true;
            case "sending" -> false;
            default -> throw new IllegalArgumentException("bench.modes: backlog or sending, not " + mode);
        };
    }

    record Result(long events, double seconds, long p50, long p99, long p999, double peerRowsPerSecond) {
    }

    /** One fresh platform; rate 0 means "as fast as possible"; see the class comment for {@code backlog}. */
    static Result run(String traceName, int events, int rate, int seconds, boolean spark, boolean backlog)
            throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "bench").toAbsolutePath();
        int brokerPort = PlatformProcess.freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        try (PlatformProcess platform = PlatformProcess.start(home, PlatformProcess.freePort(), brokerPort, storage());
                var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                        "linger.ms", 5, "batch.size", 262144, "acks", "1"),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            boolean realistic = traceName.equals("realistic");
            long now = System.currentTimeMillis();
            // the warm-up's event times lie an hour before the replay's first (which is SPAN_HOURS before it is
            // sent), so that the warm-up's watermark does not make the replay's day of history late
            warmUp(platform, producer, rate > 0 ? rate : 20_000,
                    realistic ? now - (Traces.SPAN_HOURS + 1) * 3_600_000L : now);
            long sendStart = System.currentTimeMillis();
            Traces.Trace trace = realistic ? Traces.realistic(TABLE, events, sendStart, 42)
                    : Traces.live(TABLE, events, sendStart, rate, 42);
            if (trace.bad() + trace.duplicates() > 0) {
                System.out.printf("  trace: %,d events, %,d out of order, %,d late, %,d duplicates, %,d bad lines%n",
                        trace.size(), trace.outOfOrder(), trace.late(), trace.duplicates(), trace.bad());
            }
            String startingOffsets = endOffsets(bootstrap);
            JsonNode before = JSON.readTree(platform.get("/streamStatus").body());
            long received = before.get("received").asLong();
            if (backlog) {
                operator(platform, "/pausePipeline");
            }
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                if (rate > 0) {
                    pace(start, i, rate);
                }
                producer.send(new ProducerRecord<>(TOPIC, trace.keys()[i], trace.values()[i]));
            }
            producer.flush();
            System.out.printf("  sent in %.1f s%n", (System.nanoTime() - start) / 1e9);
            long measured = events;
            if (backlog) {
                // events taken before the resume are not timed (none since a poll under way at the pause is rewound)
                measured = events - (receivedSoFar(platform) - received);
                start = System.nanoTime();
                operator(platform, "/resumePipeline");
            }
            JsonNode status;
            do {
                Thread.sleep(100); // polling the platform's counters, not synchronising a test
                status = JSON.readTree(platform.get("/streamStatus").body());
            } while (status.get("received").asLong() < received + events);
            double elapsed = (System.nanoTime() - start) / 1e9;
            JsonNode f = status.get("freshnessMillis");
            System.out.printf("  batches %d, batch p50 %d ms p99 %d ms, time per stage (ms, summed over partitions) %s%n",
                    status.get("batches").asLong(), status.get("batchMillis").get("p50").asLong(),
                    status.get("batchMillis").get("p99").asLong(), status.get("stageMillis"));
            if (status.get("storageCalls").size() > 0) {
                printStorageCalls(before.get("storageCalls"), status.get("storageCalls"), status.get("batches").asLong());
            }
            double peer = spark ? sparkPeer(bootstrap, startingOffsets, home) : 0;
            platform.stop();
            return new Result(measured, elapsed, f.get("p50").asLong(), f.get("p99").asLong(), f.get("p999").asLong(), peer);
        }
    }

    /**
     * {@code bench.storage=azurite}: the lake on Azurite's Blob API (the adapter ADLS is reached through),
     * in a file system of its own per run; otherwise the local filesystem.
     */
    private static List<String> storage() throws Exception {
        if (!System.getProperty("bench.storage", "local").equals("azurite")) {
            return List.of();
        }
        if (!Azurite.installed()) {
            throw new IllegalStateException("bench.storage=azurite: Azurite is not installed (the build installs it with npm)");
        }
        Azurite azurite = Azurite.shared();
        return List.of("-Dhybridlake.lake.root=" + Azurite.root("bench-" + System.nanoTime()),
                "-Dhybridlake.lake.connection-string=" + azurite.connectionString(),
                "-Dhybridlake.lake.blob-endpoint=" + azurite.blobEndpoint());
    }

    /** Storage calls of the measured events (background checkpoints and checksums included), per poll. */
    private static void printStorageCalls(JsonNode before, JsonNode after, long polls) {
        StringBuilder ops = new StringBuilder();
        long total = 0;
        for (var it = after.fields(); it.hasNext(); ) {
            var e = it.next();
            long n = e.getValue().asLong() - (before.has(e.getKey()) ? before.get(e.getKey()).asLong() : 0);
            total += n;
            ops.append(String.format(" %s %.2f", e.getKey(), n / (double) polls));
        }
        System.out.printf("  storage calls: %,d for %,d polls = %.2f per poll;%s%n", total, polls, total / (double) polls,
                ops);
    }

    /**
     * Runs the peer on the events just measured (from {@code startingOffsets}, the ends before the trace
     * was sent) while the platform idles, and returns its rows/s.
     */
    private static double sparkPeer(String bootstrap, String startingOffsets, Path home) throws Exception {
        String[] shape = TABLE.equals("user_events")
                ? new String[] {"event_id STRING, event_type STRING, user_id STRING, event_timestamp TIMESTAMP, amount DOUBLE, page STRING",
                    "event_id", "event_timestamp", "-"}
                : new String[] {"transaction_id STRING, customer_id STRING, amount DOUBLE, currency STRING, status STRING, "
                    + "region STRING, transaction_date TIMESTAMP", "transaction_id", "transaction_date", "status = 'completed'"};
        List<String> lines = MergeBenchmark.runOracle(List.of("stream-bench", bootstrap, TOPIC, startingOffsets, shape[0],
                shape[1], shape[2], shape[3], "1 hour", home.resolve("spark").toString()), "spark-stream");
        String line = lines.get(lines.size() - 1);
        return Double.parseDouble(line.replaceAll(".* = ([0-9.]+) rows/s.*", "$1"));
    }

    /** Spark's {@code startingOffsets} JSON: the topic's current end offset per partition. */
    private static String endOffsets(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            var partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions();
            var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(
                    p -> new TopicPartition(TOPIC, p.partition()), p -> OffsetSpec.latest()))).all().get();
            return ends.entrySet().stream().map(e -> "\"" + e.getKey().partition() + "\":" + e.getValue().offset())
                    .collect(Collectors.joining(",", "{\"" + TOPIC + "\":{", "}}"));
        }
    }

    private static void operator(PlatformProcess platform, String action) throws Exception {
        var reply = platform.post(action, "application/json", "{\"table\":\"" + TABLE + "\",\"reason\":\"benchmark\"}");
        if (reply.statusCode() != 200) {
            throw new IllegalStateException(action + " answered " + reply.statusCode() + ": " + reply.body());
        }
    }

    private static long receivedSoFar(PlatformProcess platform) throws Exception {
        return JSON.readTree(platform.get("/streamStatus").body()).get("received").asLong();
    }

    /**
     * Runs the platform at {@code rate} events/s for the warm-up time (JIT compilation, consumer group
     * join, first checkpoints), waits until it has caught up, then resets its counters: the figures
     * that follow are steady state.
     */
    private static void warmUp(PlatformProcess platform, KafkaProducer<byte[], byte[]> producer, int rate,
            long eventTimeStart) throws Exception {
        int seconds = Integer.getInteger("bench.warmup", 10);
        int events = rate * seconds;
        Traces.Trace trace = Traces.live(TABLE, events, eventTimeStart, rate, 1);
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            pace(start, i, rate);
            // warm-up keys never meet the measured trace's: "w" + the live trace's key
            byte[] key = ("w" + new String(trace.keys()[i])).getBytes();
            String value = new String(trace.values()[i]).replaceFirst("_id\":\"", "_id\":\"w");
            producer.send(new ProducerRecord<>(TOPIC, key, value.getBytes()));
        }
        producer.flush();
        while (receivedSoFar(platform) < events) {
            Thread.sleep(100); // polling the platform's counters
        }
        if (platform.post("/resetStreamStatus", "application/json", "").statusCode() != 200) {
            throw new IllegalStateException("cannot reset the platform's stream metrics");
        }
    }

    /** min / median / max of a run's figures. */
    private static String spread(List<Double> values, String format) {
        List<Double> sorted = values.stream().sorted().toList();
        return String.format(format + " / " + format + " / " + format + " (min/median/max)", sorted.get(0),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    private static List<String> list(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
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
