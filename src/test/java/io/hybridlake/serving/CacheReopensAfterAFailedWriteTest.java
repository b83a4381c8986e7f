package io.hybridlake.serving;

import static io.hybridlake.serving.WindowWrites.window;
import static io.hybridlake.serving.WindowWrites.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails (injected under H2's file system API before anything reaches the file, as a full disk fails it): the
 * embedded cache closes the store without writing the failed batch's changes and opens the file again
 * at its last commit on the next call — the failed batch left nothing, neither on disk nor pending for
 * the next commit, what was committed before is there, and writes work again. The cache does not stay
 * down for every pipeline until a restart.
 */
class CacheReopensAfterAFailedWriteTest {
    @TempDir
    Path dir;

    @Test
    void aFailedBatchLeavesNothingAndTheNextCallOpensTheStoreAgainAtItsLastCommit() {
        String file = FailingFiles.name(dir.resolve("c.mv.db"));
        try (MvStoreSpeedCache cache = new MvStoreSpeedCache(file, MvStoreSpeedCache.FOLD_POLICY)) {
            write(cache, List.of(window("a", 0, 1)));

            FailingFiles.FAIL_WRITES.set(true);
            assertThatThrownBy(() -> write(cache, List.of(window("a", 0, 5), window("b", 0, 7))))
                    .hasStackTraceContaining("injected write failure");
            FailingFiles.FAIL_WRITES.set(false);

            assertThat(counts(cache, "a")).containsExactly(1L);
            assertThat(counts(cache, "b")).isEmpty();
            cache.checkHealthy();
            assertThat(cache.reopens()).isEqualTo(1);

            write(cache, List.of(window("a", 0, 6))); // the next batch commits only its own changes
            assertThat(counts(cache, "a")).containsExactly(6L);
        } finally {
            FailingFiles.FAIL_WRITES.set(false);
        }
        try (MvStoreSpeedCache reopened = new MvStoreSpeedCache(file, MvStoreSpeedCache.FOLD_POLICY)) {
            assertThat(counts(reopened, "a")).containsExactly(6L);
            assertThat(counts(reopened, "b")).as("the failed batch's window").isEmpty();
        }
    }

    @Test
    void aClosedCacheIsNotOpenedAgain() {
        MvStoreSpeedCache cache = new MvStoreSpeedCache(dir.resolve("c.mv.db"));
        write(cache, List.of(window("a", 0, 1)));
        cache.close();
        assertThatThrownBy(() -> cache.getAll(List.of(window("a", 0, 0).id()))).hasMessageContaining("is closed");
        assertThatThrownBy(cache::checkHealthy).hasMessageContaining("is closed");
    }

    private static List<Long> counts(MvStoreSpeedCache cache, String key) {
        return cache.windowsOf("t", "w", key, 10).stream().map(s -> s.segments().get(0).count).toList();
    }
}
