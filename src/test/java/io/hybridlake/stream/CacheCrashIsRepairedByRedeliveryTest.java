package io.hybridlake.stream;

import static io.hybridlake.stream.Fixtures.record;
import static io.hybridlake.stream.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.WindowId;
import io.hybridlake.serving.WindowQueries;
import io.hybridlake.serving.WindowState;
import io.hybridlake.serving.WindowView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process dies between the Delta commits and the speed-cache write, or between the cache write and
 * raw's completion commit; the restarted process receives the batch again (the consumer resumes at
 * raw's position). The cache and the tables end exactly as after a single delivery.
 */
class CacheCrashIsRepairedByRedeliveryTest {
    enum CrashPoint {
        BEFORE_CACHE_WRITE, AFTER_CACHE_WRITE
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void redeliveryAfterACrashEqualsOneDelivery(CrashPoint point) {
        List<List<SourceRecord>> batches = batches();
        Map<String, List<WindowView>> once = run(dir.resolve("once"), batches, null);
        Map<String, List<WindowView>> crashed = run(dir.resolve("crashed"), batches, point);
        assertThat(crashed).isEqualTo(once);
        assertThat(crashed.values().stream().mapToLong(v -> v.stream().mapToLong(WindowView::count).sum()).sum())
                .isEqualTo(120 - 4); // four re-sent transactions counted once
        try (Lake a = Lake.local(dir.resolve("crashed/lake")); Lake b = Lake.local(dir.resolve("once/lake"))) {
            assertThat(ids(a)).hasSize(116).isEqualTo(ids(b));
        }
    }

    /** Three batches of one partition; the third re-sends a transaction of the second (a duplicate). */
    private static List<List<SourceRecord>> batches() {
        Instant base = Instant.parse("2025-01-28T10:00:00Z");
        List<List<SourceRecord>> out = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            List<SourceRecord> records = new ArrayList<>();
            for (int i = b * 40; i < b * 40 + 40; i++) {
                int e = b == 2 && i % 10 == 0 ? i - 40 : i; // the same transaction again: id, amount, time
                records.add(record(i, transaction(e, "c" + (e % 4), e, "completed", base.plusSeconds(7L * e).toString())));
            }
            out.add(records);
        }
        return out;
    }

    /** Processes the batches; with a crash point, the second batch crashes there and is re-delivered after a restart. */
    private static Map<String, List<WindowView>> run(Path dir, List<List<SourceRecord>> batches, CrashPoint crash) {
        Lake lake = Lake.local(dir.resolve("lake"));
        MvStoreSpeedCache cache = new MvStoreSpeedCache(dir.resolve("cache.mv"));
        CrashingSpeedCache crashing = new CrashingSpeedCache(cache, crash);
        StreamPath path = new StreamPath(lake, Fixtures.catalog(), crashing, System::currentTimeMillis,
                new StreamMetrics(), 1 << 20);
        path.process(batch(batches.get(0)));
        if (crash == null) {
            path.process(batch(batches.get(1)));
        } else {
            crashing.armed = true;
            assertThatThrownBy(() -> path.process(batch(batches.get(1)))).isInstanceOf(SimulatedCrash.class);
            assertThat(path.nextOffset("hybridlake.transactions", 0)).isEqualTo(40); // raw did not complete
            lake.close();
            cache.close();
            // the restarted process: fresh objects over the same files, the batch delivered again
            lake = Lake.local(dir.resolve("lake"));
            cache = new MvStoreSpeedCache(dir.resolve("cache.mv"));
            StreamPath restarted = new StreamPath(lake, Fixtures.catalog(), cache, System::currentTimeMillis,
                    new StreamMetrics(), 1 << 20);
            restarted.process(batch(batches.get(1)));
            restarted.process(batch(batches.get(2)));
            Map<String, List<WindowView>> views = views(cache);
            lake.close();
            cache.close();
            return views;
        }
        path.process(batch(batches.get(2)));
        Map<String, List<WindowView>> views = views(cache);
        lake.close();
        cache.close();
        return views;
    }

    private static Set<String> ids(Lake lake) {
        return new TreeSet<>(Fixtures.rows(lake, TablePath.refinedStream("transactions")).stream()
                .map(r -> (String) r[0]).toList());
    }

    private static EventBatch batch(List<SourceRecord> records) {
        return new EventBatch("hybridlake.transactions", 0, records);
    }

    /** Every customer's windows, without the write timestamps (which differ between runs by design). */
    private static Map<String, List<WindowView>> views(SpeedCache cache) {
        WindowQueries queries = new WindowQueries(Fixtures.catalog(), cache);
        Map<String, List<WindowView>> out = new TreeMap<>();
        for (int c = 0; c < 4; c++) {
            out.put("c" + c, queries.windows("transactions", null, "c" + c, 1000).stream()
                    .map(v -> new WindowView(v.table(), v.window(), v.type(), v.key(), v.windowStart(), v.windowEnd(),
                            v.count(), v.aggregates(), v.lastEventTime(), null)).toList());
        }
        return out;
    }

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String where) {
            super("simulated process death " + where);
        }
    }

    /**
     * Fault injection (not a mock: every call reaches the real MVStore cache): once armed, the next
     * window write dies before or after it reaches the store, as a killed process would.
     */
    static final class CrashingSpeedCache implements SpeedCache {
        private final SpeedCache real;
        private final CrashPoint point;
        boolean armed;

        CrashingSpeedCache(SpeedCache real, CrashPoint point) {
            this.real = real;
            this.point = point;
        }

        @Override
        public void putAll(List<WindowState> states) {
            if (armed && point == CrashPoint.BEFORE_CACHE_WRITE) {
                armed = false;
                throw new SimulatedCrash("before the cache write");
            }
            real.putAll(states);
            if (armed && point == CrashPoint.AFTER_CACHE_WRITE) {
                armed = false;
                throw new SimulatedCrash("after the cache write, before raw's commit");
            }
        }

        @Override
        public List<WindowState> getAll(List<WindowId> ids) {
            return real.getAll(ids);
        }

        @Override
        public List<String> claim(String table, List<Claim> claims) {
            return real.claim(table, claims);
        }

        @Override
        public int expireClaims(String table, long eventTimeMicros) {
            return real.expireClaims(table, eventTimeMicros);
        }

        @Override
        public List<WindowState> windowsOf(String table, String window, String groupKey, long fromStart, long toStart,
                int limit) {
            return real.windowsOf(table, window, groupKey, fromStart, toStart, limit);
        }

        @Override
        public int removeWindows(String table) {
            return real.removeWindows(table);
        }

        @Override
        public void checkHealthy() {
            real.checkHealthy();
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
