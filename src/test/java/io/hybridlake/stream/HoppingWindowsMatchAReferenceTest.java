package io.hybridlake.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.lake.Lake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.PipelineSpecException;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.WindowState;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hopping windows (Stream Analytics semantics: every window with start <= t < start + size, starts on
 * multiples of the hop) give the same counts and sums as a direct computation over the same events,
 * delivered out of event-time order over two partitions in several polls.
 */
class HoppingWindowsMatchAReferenceTest {
    static final String YAML = """
            table: readings
            fields:
              - {name: id, type: string, nullable: false}
              - {name: device, type: string, nullable: false}
              - {name: value, type: double}
              - {name: at, type: timestamp, nullable: false}
            key: id
            event_time: at
            windows:
              - name: hop_10m_5m
                type: hopping
                size: 10m
                hop: 5m
                group_by: [device]
                aggregates:
                  - {fn: count, as: n}
                  - {fn: sum, column: value, as: total}
              - name: tumble_10m
                size: 10m
                group_by: [device]
                aggregates:
                  - {fn: count, as: n}
            """;

    @TempDir
    Path dir;

    @Test
    void countsAndSumsEqualTheReference() {
        PipelineSpec spec = PipelineLoader.load("readings.yaml", new StringReader(YAML));
        SplittableRandom random = new SplittableRandom(11);
        long base = Instant.parse("2025-05-01T00:00:00Z").getEpochSecond();
        Map<String, double[]> expectedHop = new HashMap<>();
        Map<String, double[]> expectedTumble = new HashMap<>();
        List<List<SourceRecord>> partitions = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 3000; i++) {
            String device = "d" + random.nextInt(5);
            long t = base + random.nextInt(3600);
            double value = random.nextInt(1000) / 10.0;
            String json = "{\"id\":\"r" + i + "\",\"device\":\"" + device + "\",\"value\":" + value + ",\"at\":\""
                    + Instant.ofEpochSecond(t) + "\"}";
            List<SourceRecord> p = partitions.get(i % 2);
            p.add(new SourceRecord(p.size(), 0, null, json.getBytes(StandardCharsets.UTF_8), Map.of()));
            for (long s = t / 300 * 300; s > t - 600; s -= 300) {
                double[] agg = expectedHop.computeIfAbsent(device + "@" + s, k -> new double[2]);
                agg[0]++;
                agg[1] += value;
            }
            expectedTumble.computeIfAbsent(device + "@" + (t / 600 * 600), k -> new double[2])[0]++;
        }
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            StreamPath path = new StreamPath(lake, new PipelineCatalog(List.of(spec), "hybridlake."), cache,
                    System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            for (int from = 0; from < 1500; from += 500) {
                path.process(List.of(
                        new EventBatch("hybridlake.readings", 0, partitions.get(0).subList(from, from + 500)),
                        new EventBatch("hybridlake.readings", 1, partitions.get(1).subList(from, from + 500))));
            }
            assertThat(windows(cache, "hop_10m_5m")).isEqualTo(expectedHop.entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()[0], tenth(e.getValue()[1])))));
            assertThat(windows(cache, "tumble_10m")).isEqualTo(expectedTumble.entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()[0], 0.0))));
        }
    }

    /** device@windowStartSeconds -> [count, sum of the second accumulator]. */
    private static Map<String, List<Double>> windows(MvStoreSpeedCache cache, String window) {
        Map<String, List<Double>> out = new HashMap<>();
        for (int d = 0; d < 5; d++) {
            for (WindowState w : cache.windowsOf("readings", window, "d" + d, 10_000)) {
                double second = w.acc().length > 1 ? w.acc()[1] : 0.0;
                out.put("d" + d + "@" + w.id().windowStart() / 1_000_000, List.of((double) w.count(), tenth(second)));
            }
        }
        return out.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue()));
    }

    /** Sums of tenths, rounded to tenths: both sides add the same values in different orders. */
    private static double tenth(double v) {
        return Math.round(v * 10) / 10.0;
    }

    @Test
    void aHoppingWindowNeedsAHopNoLongerThanItsSize() {
        String noHop = YAML.replace("    hop: 5m\n", "");
        assertThatThrownBy(() -> PipelineLoader.load("r.yaml", new StringReader(noHop)))
                .isInstanceOf(PipelineSpecException.class).hasMessageContaining("needs 'hop'");
        String longHop = YAML.replace("hop: 5m", "hop: 20m");
        assertThatThrownBy(() -> PipelineLoader.load("r.yaml", new StringReader(longHop)))
                .isInstanceOf(PipelineSpecException.class).hasMessageStartingWith("r.yaml:13: windows[0].hop:");
        String tumblingWithHop = YAML.replace("    type: hopping\n", "");
        assertThat(tumblingWithHop).isNotEqualTo(YAML);
        assertThatThrownBy(() -> PipelineLoader.load("r.yaml", new StringReader(tumblingWithHop)))
                .isInstanceOf(PipelineSpecException.class).hasMessageContaining("hopping windows only");
    }
}
