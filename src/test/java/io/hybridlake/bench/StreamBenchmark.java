package io.hybridlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.azure.Azurite;
import io.hybridlake.it.PlatformProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
 * for {@code bench.seconds}; with {@code bench.spark=true}, at each of {@code bench.spark.rates} the
 * platform's pipeline is then paused and Spark with a 1 s processing-time trigger ({@code FreshnessPeer})
 * takes a second live trace at the same rate, and both p99s are printed as min/median/max. Run: {@code ./mvnw -B -Pbench verify} (options in BENCHMARKS.md).
 */
public final class StreamBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = System.getProperty("bench.table", "transactions");
    private static final String TOPIC = "hybridlake." + TABLE;
    private static final int WARM_UP_SECONDS = Integer.getInteger("bench.warmup", 10);

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
                    Result r = run(trace, events, 0, 0, spark && m == modes.size() - 1, backlog(mode), false);
                    rates.put(mode, r.events / r.seconds);
                    ours.computeIfAbsent(mode, k -> new ArrayList<>()).add(r.events / r.seconds);
                    System.out.printf("%s trace, %s, run %d: %,d events in %.1f s = %,.0f events/s; freshness %s%n",
                            trace, mode, run, r.events, r.seconds, r.events / r.seconds, r.freshness);
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
        List<String> peerRates = list(System.getProperty("bench.spark.rates", "5000,20000,50000"));
        for (String r : list(System.getProperty("bench.rates", "5000,20000,50000"))) {
            int rate = Integer.parseInt(r);
            List<Double> ourP99 = new ArrayList<>();
            List<Double> peerP99 = new ArrayList<>();
            for (int run = 1; run <= repeat; run++) {
                Result fixed = run("live", rate * seconds, rate, seconds, false, false, spark && peerRates.contains(r));
                System.out.printf("at %,d events/s for %d s, run %d: %,d events, freshness %s%n", rate, seconds, run,
                        fixed.events, fixed.freshness);
                ourP99.add((double) fixed.freshness.p99);
                if (fixed.peerFreshness != null) {
                    System.out.printf("at %,d events/s for %d s, run %d: Spark Structured Streaming (1 s trigger) freshness %s%n",
                            rate, seconds, run, fixed.peerFreshness);
                    peerP99.add((double) fixed.peerFreshness.p99);
                }
            }
            System.out.printf("at %,d events/s, %d runs: freshness p99 Hybridlake %s ms%s%n", rate, repeat,
                    spread(ourP99, "%,.0f"), peerP99.isEmpty() ? "" : "; Spark " + spread(peerP99, "%,.0f") + " ms");
        }
    }

    private static boolean backlog(String mode) {
        return switch (mode) {
            case "backlog" -> true;
            case "sending" -> false;
            default -> throw new IllegalArgumentException("bench.modes: backlog or sending, not " + mode);
        };
    }

    record Freshness(long p50, long p99, long p999) {
        @Override
        public String toString() {
            return String.format("p50 %d ms, p99 %d ms, p99.9 %d ms", p50, p99, p999);
        }
    }

    /** A measured run; the peer's figures are 0 or null when it did not run. */
    record Result(long events, double seconds, Freshness freshness, double peerRowsPerSecond, Freshness peerFreshness) {
    }

    /**
     * One fresh platform; rate 0 means "as fast as possible"; see the class comment for {@code backlog}.
     * {@code spark} runs the throughput peer after the platform, {@code sparkFreshness} the freshness peer.
     */
    static Result run(String traceName, int events, int rate, int seconds, boolean spark, boolean backlog,
            boolean sparkFreshness) throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "bench").toAbsolutePath();
        try {
            return run(home, traceName, events, rate, seconds, spark, backlog, sparkFreshness);
        } finally {
            deleteTree(home); // a replay leaves ~2 GB (broker log, lake, cache): runs would fill the disk
        }
    }

    private static Result run(Path home, String traceName, int events, int rate, int seconds, boolean spark,
            boolean backlog, boolean sparkFreshness) throws Exception {
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
            send(producer, trace, rate);
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
            Freshness peerFreshness = sparkFreshness
                    ? sparkFreshness(platform, producer, bootstrap, events, rate, home) : null;
            platform.stop();
            return new Result(measured, elapsed, new Freshness(f.get("p50").asLong(), f.get("p99").asLong(),
                    f.get("p999").asLong()), peer, peerFreshness);
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
        List<String> lines = MergeBenchmark.runOracle(peerCommand("stream-bench", bootstrap, startingOffsets,
                home.resolve("spark")), "spark-stream");
        String line = lines.get(lines.size() - 1);
        return Double.parseDouble(line.replaceAll(".* = ([0-9.]+) rows/s.*", "$1"));
    }

    /**
     * Runs the freshness peer ({@code FreshnessPeer}: Spark with a 1 s processing-time trigger) on a
     * second live trace sent at {@code rate}, with the platform's pipeline paused so that the peer has
     * the 2 cores the platform had; warmed up first like the platform, at the same rate for as long.
     */
    private static Freshness sparkFreshness(PlatformProcess platform, KafkaProducer<byte[], byte[]> producer,
            String bootstrap, int events, int rate, Path home) throws Exception {
        operator(platform, "/pausePipeline");
        List<String> command = new ArrayList<>(peerCommand("stream-fresh", bootstrap, endOffsets(bootstrap),
                home.resolve("spark-fresh")));
        Traces.Trace warmUp = Traces.withIdPrefix(Traces.live(TABLE, rate * WARM_UP_SECONDS, System.currentTimeMillis(),
                rate, 1), "s");
        command.addAll(List.of(String.valueOf(warmUp.size()), String.valueOf(events)));
        Process oracle = MergeBenchmark.startOracle(command);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (var out = new BufferedReader(new InputStreamReader(oracle.getInputStream()))) {
                out.lines().filter(l -> l.startsWith("spark-fresh")).peek(System.out::println).forEach(lines::add);
            } catch (Exception e) {
                System.out.println("  reading the freshness peer: " + e);
            }
            lines.add("spark-fresh: ended");
        });
        reader.setDaemon(true);
        reader.start();
        expect(oracle, lines, "spark-fresh: ready");
        send(producer, warmUp, rate);
        expect(oracle, lines, "spark-fresh: warmed up");
        send(producer, Traces.live(TABLE, events, System.currentTimeMillis(), rate, 43), rate);
        String result = lines.poll(30, TimeUnit.MINUTES);
        while (result != null && result.contains("micro-batches")) {
            result = lines.poll(1, TimeUnit.MINUTES);
        }
        Matcher m = result == null ? null
                : Pattern.compile("p50 (\\d+) ms, p99 (\\d+) ms, p99.9 (\\d+) ms").matcher(result);
        if (oracle.waitFor() != 0 || m == null || !m.find()) {
            throw new IllegalStateException("the freshness peer failed: " + result);
        }
        return new Freshness(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    }

    private static void expect(Process oracle, BlockingQueue<String> lines, String expected) throws Exception {
        String line = lines.poll(10, TimeUnit.MINUTES);
        if (!expected.equals(line)) {
            oracle.destroyForcibly();
            throw new IllegalStateException("the freshness peer did not say '" + expected + "' but " + line);
        }
    }

    /** The oracle command of a stream peer: the pipeline's shape as Spark sees it (schema, key, event time, filter). */
    private static List<String> peerCommand(String command, String bootstrap, String startingOffsets, Path dir) {
        String[] shape = TABLE.equals("user_events")
                ? new String[] {"event_id STRING, event_type STRING, user_id STRING, event_timestamp TIMESTAMP, amount DOUBLE, page STRING",
                    "event_id", "event_timestamp", "-"}
                : new String[] {"transaction_id STRING, customer_id STRING, amount DOUBLE, currency STRING, status STRING, "
                    + "region STRING, transaction_date TIMESTAMP", "transaction_id", "transaction_date", "status = 'completed'"};
        return List.of(command, bootstrap, TOPIC, startingOffsets, shape[0], shape[1], shape[2], shape[3], "1 hour",
                dir.toString());
    }

    /** Sends a trace, paced at {@code rate} events/s unless 0, and waits until the broker has it. */
    private static void send(KafkaProducer<byte[], byte[]> producer, Traces.Trace trace, int rate) {
        long start = System.nanoTime();
        for (int i = 0; i < trace.size(); i++) {
            if (rate > 0) {
                pace(start, i, rate);
            }
            producer.send(new ProducerRecord<>(TOPIC, trace.keys()[i], trace.values()[i]));
        }
        producer.flush();
        System.out.printf("  sent in %.1f s%n", (System.nanoTime() - start) / 1e9);
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
        int events = rate * WARM_UP_SECONDS;
        // warm-up keys never meet the measured trace's
        send(producer, Traces.withIdPrefix(Traces.live(TABLE, events, eventTimeStart, rate, 1), "w"), rate);
        while (receivedSoFar(platform) < events) {
            Thread.sleep(100); // polling the platform's counters
        }
        if (platform.post("/resetStreamStatus", "application/json", "").statusCode() != 200) {
            throw new IllegalStateException("cannot reset the platform's stream metrics");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** min / median / max of a run's figures. */
    private static String spread(List<Double> values, String format) {
        List<Double> sorted = values.stream().sorted().toList();
        return String.format(format + " / " + format + " / " + format + " (min/median/max)", sorted.get(0),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
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
