package io.hybridlake.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The claim index answers exactly as a map of (id, event time) → token would, through growth,
 * removals that shift probe chains, arena rewrites, colliding hashes, multi-byte ids and ids longer
 * than an arena chunk: a wrong answer here drops an event as a duplicate or accepts a copy.
 */
class ClaimIndexTest {
    private record Key(String id, long time) {
    }

    @Test
    void agreesWithAMapThroughInsertsRemovalsAndArenaRewrites() {
        Random random = new Random(7);
        ClaimIndex index = new ClaimIndex();
        Map<Key, String> model = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        // long ids make removed claims pass the arena's rewrite threshold (16 MiB of garbage) several times
        String padding = "x".repeat(2000);
        for (int step = 0; step < 400_000; step++) {
            // phases of mostly claims and mostly removals, so the arena fills with removed claims' bytes
            boolean claiming = (step / 40_000) % 2 == 0 ? random.nextInt(10) < 8 : random.nextInt(10) < 2;
            if (claiming || keys.isEmpty()) {
                Key k = new Key("évènement-" + random.nextInt(150_000) + (random.nextBoolean() ? padding : ""),
                        random.nextInt(3));
                String token = "topic:" + random.nextInt(4) + ":" + step;
                String expected = model.putIfAbsent(k, token);
                assertThat(index.putIfAbsent(k.id(), k.time(), token)).as("claim %s at step %d", k, step).isEqualTo(expected);
                if (expected == null) {
                    keys.add(k);
                }
            } else {
                int at = random.nextInt(keys.size());
                Key k = keys.get(at);
                boolean byHolder = random.nextInt(4) > 0;
                String token = byHolder ? model.get(k) : "topic:9:" + step;
                assertThat(index.remove(k.id(), k.time(), token)).as("remove %s by %s", k, token).isEqualTo(byHolder);
                if (byHolder) {
                    model.remove(k);
                    keys.set(at, keys.get(keys.size() - 1));
                    keys.remove(keys.size() - 1);
                }
            }
            if (step % 20_000 == 0) {
                assertThat(index.size()).isEqualTo(model.size());
            }
        }
        assertThat(index.size()).isEqualTo(model.size());
        assertThat(index.arenaRewrites()).as("the arena was rewritten").isGreaterThan(1);
        for (Key k : keys) {
            assertThat(index.get(k.id(), k.time())).as("lookup %s", k).isEqualTo(model.get(k));
        }
        for (int i = 0; i < 1000; i++) {
            Key absent = new Key("absent-" + i, i);
            assertThat(index.get(absent.id(), absent.time())).isNull();
        }
    }

    @Test
    void idsWithTheSameHashOrTheSameIdAtAnotherTimeAreDistinctClaims() {
        ClaimIndex index = new ClaimIndex();
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        assertThat(index.putIfAbsent("Aa", 5, "t:0:1")).isNull();
        assertThat(index.putIfAbsent("BB", 5, "t:0:2")).isNull();
        assertThat(index.putIfAbsent("Aa", 6, "t:0:3")).isNull();
        assertThat(index.putIfAbsent("Aa", 5, "t:0:4")).isEqualTo("t:0:1");
        assertThat(index.remove("Aa", 5, "t:0:2")).as("another event's token does not release a claim").isFalse();
        assertThat(index.remove("Aa", 5, "t:0:1")).isTrue();
        assertThat(index.get("BB", 5)).isEqualTo("t:0:2");
        assertThat(index.get("Aa", 6)).isEqualTo("t:0:3");
        assertThat(index.get("Aa", 5)).isNull();
    }

    @Test
    void anIdLongerThanAnArenaChunkIsKeptWhole() {
        ClaimIndex index = new ClaimIndex();
        String huge = "k".repeat(ClaimIndex.CHUNK + 17);
        assertThat(index.putIfAbsent("small", 1, "t:0:1")).isNull();
        assertThat(index.putIfAbsent(huge, 1, "t:0:2")).isNull();
        assertThat(index.putIfAbsent("after", 1, "t:0:3")).isNull();
        assertThat(index.putIfAbsent(huge, 1, "t:0:4")).isEqualTo("t:0:2");
        assertThat(index.get(huge.substring(1), 1)).isNull();
        assertThat(index.get("small", 1)).isEqualTo("t:0:1");
        assertThat(index.get("after", 1)).isEqualTo("t:0:3");
    }
}
