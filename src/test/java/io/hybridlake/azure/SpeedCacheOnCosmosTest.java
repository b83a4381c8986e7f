package io.hybridlake.azure;

import static io.hybridlake.stream.Fixtures.record;
import static io.hybridlake.stream.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.RequiredComponent;
import io.hybridlake.lake.Lake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.serving.cosmos.CosmosSpeedCache;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.WindowId;
import io.hybridlake.serving.WindowQueries;
import io.hybridlake.serving.WindowState;
import io.hybridlake.serving.WindowView;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed cache on Cosmos DB, against a real Cosmos SQL-API server ({@link CosmosServer}): the
 * stream path over the same batches — duplicates, several customers, a re-delivered batch — leaves
 * exactly the same windows in Cosmos as in the embedded store; the store's contract (optimistic
 * conflicts, claims, ranges, removal) holds. TTL expiry and 429 throttling cannot be shown by that
 * server (the TTL is set on every item; the SDK's throttling retry is configured).
 */
class SpeedCacheOnCosmosTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void installed() {
        RequiredComponent.require(CosmosServer.installed(), "the Cosmos server is not installed: the build installs it "
                + "with npm (emulators/install.sh); install Node.js 20+ and npm");
    }

    @Test
    void theStreamPathLeavesTheSameWindowsInCosmosAsInTheEmbeddedStore() throws Exception {
        PipelineCatalog catalog = Fixtures.catalog();
        List<List<EventBatch>> polls = polls();
        Map<String, String> embedded;
        try (Lake lake = Lake.local(dir.resolve("a")); var cache = new MvStoreSpeedCache(dir.resolve("a.mv"))) {
            run(lake, catalog, cache, polls);
            embedded = windows(cache);
        }
        try (Lake lake = Lake.local(dir.resolve("b")); var cache = CosmosServer.shared().cache("w" + UUID.randomUUID())) {
            run(lake, catalog, cache, polls);
            assertThat(windows(cache)).isEqualTo(embedded);
        }
        assertThat(embedded).isNotEmpty();
    }

    @Test
    void conflictsClaimsRangesAndRemoval() throws Exception {
        try (CosmosSpeedCache cache = CosmosServer.shared().cache("c" + UUID.randomUUID())) {
            WindowId a = new WindowId("t", "w", "k/with?odd#chars", 0);
            WindowId b = new WindowId("t", "w", "k/with?odd#chars", 300_000_000);
            assertThat(cache.getAll(List.of(a, b))).extracting(WindowState::storedVersion).containsExactly(0L, 0L);
            WindowState s = new WindowState(a);
            s.markApplied("topic:0", 5, 1);
            cache.putAll(List.of(s, new WindowState(b)));
            WindowState stored = cache.getAll(List.of(a)).get(0);
            assertThat(stored.highWater("topic:0")).isEqualTo(5);
            assertThatThrownBy(() -> cache.putAll(List.of(new WindowState(a)))) // "new", but it exists
                    .isInstanceOf(SpeedCache.ConflictException.class);
            WindowState stale = new WindowState(a, stored.segments(), 0, stored.version() + 2, stored.version() + 1,
                    stored.highWater());
            assertThatThrownBy(() -> cache.putAll(List.of(stale))) // stale version
                    .isInstanceOf(SpeedCache.ConflictException.class);
            assertThat(cache.windowsOf("t", "w", "k/with?odd#chars", 1, Long.MAX_VALUE, 10)).extracting(x -> x.id())
                    .containsExactly(b);
            assertThat(cache.windowsOf("t", "w", "k/with?odd#chars", 10)).extracting(x -> x.id()).containsExactly(a, b);

            assertThat(cache.claim("t", List.of(new SpeedCache.Claim("e1", 10, "p:1"), new SpeedCache.Claim("e2", 10, "p:2"))))
                    .containsExactly("p:1", "p:2");
            assertThat(cache.claim("t", List.of(new SpeedCache.Claim("e1", 10, "p:9"), new SpeedCache.Claim("e3", 20, "p:3"))))
                    .containsExactly("p:1", "p:3");
            assertThat(cache.expireClaims("t", 15)).isEqualTo(2);
            assertThat(cache.claim("t", List.of(new SpeedCache.Claim("e1", 10, "p:9")))).containsExactly("p:9");
            assertThat(cache.removeWindows("t")).isEqualTo(2);
            assertThat(cache.getAll(List.of(a, b))).extracting(WindowState::storedVersion).containsExactly(0L, 0L);
            cache.checkHealthy();
        }
    }

    private static void run(Lake lake, PipelineCatalog catalog, SpeedCache cache, List<List<EventBatch>> polls) {
        StreamPath stream = new StreamPath(lake, catalog, cache, () -> 1_764_000_000_000L, new StreamMetrics(), 1 << 20);
        for (List<EventBatch> poll : polls) {
            stream.process(poll);
        }
        stream.process(polls.get(2)); // re-delivered
    }

    private static List<List<EventBatch>> polls() {
        Instant base = Instant.parse("2025-01-28T10:00:00Z");
        List<List<EventBatch>> polls = new ArrayList<>();
        long[] offsets = new long[2];
        for (int poll = 0; poll < 5; poll++) {
            List<EventBatch> batches = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                List<SourceRecord> records = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int n = poll * 100 + p * 50 + i;
                    int id = n % 7 == 0 ? n - 7 : n; // some transactions re-sent: counted once
                    records.add(record(offsets[p]++, transaction(id, "c" + n % 6, n + 0.5, "completed",
                            base.plusSeconds(n * 13L).toString())));
                }
                batches.add(new EventBatch("hybridlake.transactions", p, records));
            }
            polls.add(batches);
        }
        return polls;
    }

    /** Every customer's windows: start, count and aggregates. */
    private static Map<String, String> windows(SpeedCache cache) {
        Map<String, String> out = new TreeMap<>();
        for (int c = 0; c < 6; c++) {
            for (WindowView w : new WindowQueries(Fixtures.catalog(), cache).windows("transactions", "customer_5m",
                    "c" + c, 1000)) {
                out.put(w.key() + "@" + w.windowStart(), w.toString());
            }
        }
        return out;
    }
}
