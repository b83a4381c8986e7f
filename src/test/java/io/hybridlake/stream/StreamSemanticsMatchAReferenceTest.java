package io.hybridlake.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.WindowQueries;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-style: a generated stream with out-of-order, late, duplicate, filtered and invalid events,
 * spread over two partitions and delivered in polls of random sizes (then all delivered again), ends
 * in exactly the windows a straightforward computation gives over the de-duplicated, lateness-filtered
 * events — for tumbling, hopping, sliding and session windows and every aggregate — and every event is
 * accounted for once: refined + filtered + late + rejected (duplicates included) = sent.
 */
class StreamSemanticsMatchAReferenceTest {
    static final String YAML = """
            table: readings
            fields:
              - {name: id, type: string, nullable: false}
              - {name: device, type: string, nullable: false}
              - {name: value, type: double}
              - {name: kind, type: string}
              - {name: at, type: timestamp, nullable: false}
            key: id
            event_time: at
            filters: ["kind <> 'heartbeat'"]
            watermark: {out_of_order: 1m, allowed_lateness: 5m}
            dedup: {column: id, horizon: 30m}
            windows:
              - name: tumble
                size: 10m
                group_by: [device]
                aggregates:
                  - {fn: count, as: n}
                  - {fn: sum, column: value, as: total}
                  - {fn: min, column: value, as: low}
                  - {fn: max, column: value, as: high}
                  - {fn: avg, column: value, as: mean}
                  - {fn: count_distinct, column: kind, as: kinds}
              - {name: hop, type: hopping, size: 10m, hop: 5m, group_by: [device], aggregates: [{fn: count, as: n}, {fn: sum, column: value, as: total}]}
              - {name: slide, type: sliding, size: 2m, group_by: [device], aggregates: [{fn: count, as: n}, {fn: max, column: value, as: high}]}
              - {name: visit, type: session, timeout: 90s, max_duration: 15m, group_by: [device], aggregates: [{fn: count, as: n}, {fn: sum, column: value, as: total}]}
            """;
    static final String TOPIC = "hybridlake.readings";
    static final long MINUTE = 60_000_000L;
    static final String[] KINDS = {"a", "b", "c", "d", "heartbeat"};

    /** A generated event; {@code json} is what is sent (a duplicate re-sends an earlier event's json). */
    record Event(String id, String device, Double value, String kind, long at, boolean valid, String json) {
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void windowsAndAccountingEqualTheReference(int seed) {
        PipelineSpec spec = PipelineLoader.load("readings.yaml", new StringReader(YAML));
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Event>> partitions = List.of(new ArrayList<>(), new ArrayList<>());
        List<Event> history = new ArrayList<>();
        long clock = Instant.parse("2025-06-01T00:00:00Z").getEpochSecond() * 1_000_000;
        for (int i = 0; i < 1500; i++) {
            // mostly busy, sometimes idle for 1-3 minutes: sessions end and sliding windows empty
            clock += (random.nextInt(25) == 0 ? 60 + random.nextInt(120) : random.nextInt(4)) * 1_000_000L;
            Event e;
            int roll = random.nextInt(100);
            if (roll < 5 && !history.isEmpty()) {
                e = history.get(random.nextInt(history.size())); // a re-send: same id, same content
            } else {
                long at = roll < 8 ? clock - (6 + random.nextInt(25)) * MINUTE // far behind: late on most partitions
                        : clock - random.nextInt(90) * 1_000_000L;            // out of order within the tolerance
                String device = "d" + random.nextInt(4);
                Double value = random.nextInt(10) == 0 ? null : random.nextInt(1000) / 10.0;
                String kind = KINDS[random.nextInt(KINDS.length)];
                boolean valid = random.nextInt(40) != 0;
                String json = "{\"id\":\"e" + i + "\"," + (valid ? "\"device\":\"" + device + "\"," : "")
                        + "\"value\":" + value + ",\"kind\":\"" + kind + "\",\"at\":\""
                        + Instant.EPOCH.plusNanos(at * 1000) + "\"}";
                e = new Event("e" + i, device, value, kind, at, valid, json);
                history.add(e);
            }
            partitions.get(random.nextInt(2)).add(e);
        }
        List<List<EventBatch>> polls = polls(partitions, random);
        Reference expected = new Reference(spec, polls, partitions);

        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            PipelineCatalog catalog = new PipelineCatalog(List.of(spec), "hybridlake.");
            StreamPath path = new StreamPath(lake, catalog, cache,
                    System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            int[] counted = new int[5];
            for (List<EventBatch> poll : polls) {
                for (BatchOutcome o : path.process(poll)) {
                    counted[0] += o.refined();
                    counted[1] += o.filtered();
                    counted[2] += o.late();
                    counted[3] += o.rejected();
                    counted[4] += o.duplicates();
                }
            }
            assertThat(counted).containsExactly(expected.accepted.size(), expected.filtered, expected.late.size(),
                    expected.invalid + expected.duplicates, expected.duplicates);
            assertThat(counted[0] + counted[1] + counted[2] + counted[3]).isEqualTo(1500);
            Map<String, List<String>> windowsOnce = windows(new WindowQueries(catalog, cache));
            assertThat(windowsOnce).isEqualTo(expected.windows());

            for (List<EventBatch> poll : polls) { // everything re-delivered: nothing may change
                path.process(poll);
            }
            assertThat(windows(new WindowQueries(catalog, cache))).isEqualTo(windowsOnce);
            assertThat(ids(lake, TablePath.refinedStream("readings"))).containsExactlyInAnyOrderElementsOf(
                    expected.accepted.stream().map(Event::id).toList());
            assertThat(ids(lake, TablePath.late("readings"))).containsExactlyInAnyOrderElementsOf(expected.late);
            assertThat(Fixtures.rows(lake, TablePath.rejected("readings"))).hasSize(expected.invalid + expected.duplicates)
                    .filteredOn(r -> ((String) r[6]).startsWith("duplicate")).hasSize(expected.duplicates);
            assertThat(Fixtures.rows(lake, TablePath.rawStream("readings"))).hasSize(1500);
        }
    }

    /** Each partition cut into chunks of random sizes; poll k delivers chunk k of every partition. */
    private static List<List<EventBatch>> polls(List<List<Event>> partitions, SplittableRandom random) {
        List<List<EventBatch>> polls = new ArrayList<>();
        int[] next = new int[partitions.size()];
        while (next[0] < partitions.get(0).size() || next[1] < partitions.get(1).size()) {
            List<EventBatch> poll = new ArrayList<>();
            for (int p = 0; p < partitions.size(); p++) {
                List<Event> events = partitions.get(p);
                int to = Math.min(events.size(), next[p] + 1 + random.nextInt(120));
                List<SourceRecord> records = new ArrayList<>();
                for (int i = next[p]; i < to; i++) {
                    records.add(new SourceRecord(i, 0, null, events.get(i).json().getBytes(StandardCharsets.UTF_8),
                            Map.of()));
                }
                next[p] = to;
                if (!records.isEmpty()) {
                    poll.add(new EventBatch(TOPIC, p, records));
                }
            }
            polls.add(poll);
        }
        return polls;
    }

    /** The semantics written out plainly: per-partition watermark, lateness, first-occurrence dedup, windows. */
    static final class Reference {
        final PipelineSpec spec;
        final List<Event> accepted = new ArrayList<>();
        final List<String> late = new ArrayList<>();
        int filtered;
        int invalid;
        int duplicates;

        Reference(PipelineSpec spec, List<List<EventBatch>> polls, List<List<Event>> partitions) {
            this.spec = spec;
            long outOfOrder = MINUTE;
            long lateness = 5 * MINUTE;
            long[] max = {Long.MIN_VALUE, Long.MIN_VALUE};
            Set<String> seen = new HashSet<>();
            for (List<EventBatch> poll : polls) {
                List<Event> candidates = new ArrayList<>(); // on-time and late, in claim order
                Set<String> lateIds = new HashSet<>();
                for (EventBatch b : poll) {
                    for (SourceRecord r : b.records()) {
                        Event e = partitions.get(b.partition()).get((int) r.offset());
                        if (!e.valid()) {
                            invalid++;
                            continue;
                        }
                        boolean isLate = max[b.partition()] != Long.MIN_VALUE
                                && e.at() < max[b.partition()] - outOfOrder - lateness;
                        max[b.partition()] = Math.max(max[b.partition()], e.at());
                        if (e.kind().equals("heartbeat")) {
                            filtered++;
                        } else {
                            if (isLate) {
                                lateIds.add(e.id() + "@" + b.partition() + ":" + r.offset());
                            }
                            candidates.add(new Event(isLate ? e.id() + "@" + b.partition() + ":" + r.offset() : e.id(),
                                    e.device(), e.value(), e.kind(), e.at(), e.valid(), e.json()));
                        }
                    }
                }
                for (Event c : candidates) { // first occurrence wins, late or not; a late copy is a duplicate too
                    boolean isLate = lateIds.contains(c.id());
                    String id = isLate ? c.id().substring(0, c.id().indexOf('@')) : c.id();
                    if (!seen.add(id)) {
                        duplicates++;
                    } else if (isLate) {
                        late.add(id);
                    } else {
                        accepted.add(c);
                    }
                }
            }
        }

        /** window name → rendered windows, per device in time order. */
        Map<String, List<String>> windows() {
            Map<String, List<String>> out = new TreeMap<>();
            for (String device : List.of("d0", "d1", "d2", "d3")) {
                List<Event> events = accepted.stream().filter(e -> e.device().equals(device))
                        .sorted((a, b) -> Long.compare(a.at(), b.at())).toList();
                fixed(out, "tumble", device, events, 10 * MINUTE, 10 * MINUTE, true);
                fixed(out, "hop", device, events, 10 * MINUTE, 5 * MINUTE, false);
                sliding(out, device, events);
                sessions(out, device, events);
            }
            return out;
        }

        private static void fixed(Map<String, List<String>> out, String name, String device, List<Event> events,
                long size, long hop, boolean allAggregates) {
            Map<Long, List<Event>> byStart = new TreeMap<>();
            for (Event e : events) {
                for (long s = Math.floorDiv(e.at(), hop) * hop; s > e.at() - size; s -= hop) {
                    byStart.computeIfAbsent(s, k -> new ArrayList<>()).add(e);
                }
            }
            byStart.forEach((start, in) -> add(out, name, device, start, start + size, allAggregates
                    ? List.of(count(in), sum(in), min(in), max(in), avg(in), distinctKinds(in))
                    : List.of(count(in), sum(in))));
        }

        private static void sliding(Map<String, List<String>> out, String device, List<Event> events) {
            long size = 2 * MINUTE;
            TreeSet<Long> points = new TreeSet<>();
            events.forEach(e -> {
                points.add(e.at());
                points.add(e.at() + size);
            });
            for (long t : points) {
                List<Event> in = events.stream().filter(e -> e.at() > t - size && e.at() <= t).toList();
                if (!in.isEmpty()) {
                    add(out, "slide", device, t - size, t, List.of(count(in), max(in)));
                }
            }
        }

        private static void sessions(Map<String, List<String>> out, String device, List<Event> events) {
            long timeout = 90_000_000L;
            long maxDuration = 15 * MINUTE;
            List<Event> current = new ArrayList<>();
            for (Event e : events) {
                if (!current.isEmpty()) {
                    Event last = current.get(current.size() - 1);
                    boolean sameBucket = Math.floorDiv(last.at(), maxDuration) == Math.floorDiv(e.at(), maxDuration);
                    if (!sameBucket || e.at() - last.at() >= timeout) {
                        session(out, device, current, timeout, maxDuration);
                        current = new ArrayList<>();
                    }
                }
                current.add(e);
            }
            if (!current.isEmpty()) {
                session(out, device, current, timeout, maxDuration);
            }
        }

        private static void session(Map<String, List<String>> out, String device, List<Event> in, long timeout,
                long maxDuration) {
            long first = in.get(0).at();
            long last = in.get(in.size() - 1).at();
            long boundary = (Math.floorDiv(first, maxDuration) + 1) * maxDuration;
            add(out, "visit", device, first, Math.min(last + timeout, boundary), List.of(count(in), sum(in)));
        }

        private static void add(Map<String, List<String>> out, String window, String device, long start, long end,
                List<String> aggregates) {
            out.computeIfAbsent(window, k -> new ArrayList<>()).add(render(device, Instant.EPOCH.plusNanos(start * 1000)
                    .toString(), Instant.EPOCH.plusNanos(end * 1000).toString(), aggregates));
        }

        private static String count(List<Event> in) {
            return num((double) in.size());
        }

        private static String sum(List<Event> in) {
            return num(in.stream().filter(e -> e.value() != null).mapToDouble(Event::value).sum());
        }

        private static String min(List<Event> in) {
            return num(in.stream().filter(e -> e.value() != null).mapToDouble(Event::value).min().stream().boxed()
                    .findFirst().orElse(null));
        }

        private static String max(List<Event> in) {
            return num(in.stream().filter(e -> e.value() != null).mapToDouble(Event::value).max().stream().boxed()
                    .findFirst().orElse(null));
        }

        private static String avg(List<Event> in) {
            return num(in.stream().filter(e -> e.value() != null).mapToDouble(Event::value).average().stream().boxed()
                    .findFirst().orElse(null));
        }

        private static String distinctKinds(List<Event> in) {
            return num((double) in.stream().map(Event::kind).distinct().count());
        }
    }

    /** What the platform serves, in the reference's rendering. */
    private static Map<String, List<String>> windows(WindowQueries queries) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String device : List.of("d0", "d1", "d2", "d3")) {
            for (var w : queries.windows("readings", null, device, 100_000)) {
                out.computeIfAbsent(w.window(), k -> new ArrayList<>()).add(render(device, w.windowStart(),
                        w.windowEnd(), w.aggregates().values().stream().map(StreamSemanticsMatchAReferenceTest::num)
                                .toList()));
            }
        }
        return out;
    }

    private static String render(String device, String start, String end, List<String> aggregates) {
        return device + " " + start + ".." + end + " " + aggregates;
    }

    /** Sums of tenths in different orders agree to 1e-6. */
    static String num(Double v) {
        return v == null ? "null" : String.format("%.6f", v);
    }

    private static List<String> ids(Lake lake, TablePath table) {
        return Fixtures.rows(lake, table).stream().map(r -> (String) r[0]).toList();
    }
}
