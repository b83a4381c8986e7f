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
 * The embedded cache skips the version check of a state it read while nothing of its table was
 * written since. Whatever was written in between — the same window, a window that did not exist when
 * read, the table's removal — the stale state is refused, and a fresh one is written.
 */
class StatesReadBeforeAnotherWriteConflictTest {
    @TempDir
    Path dir;

    @Test
    void aWriteInBetweenMakesTheStateStale() {
        try (MvStoreSpeedCache cache = new MvStoreSpeedCache(dir.resolve("c.mv.db"))) {
            write(cache, List.of(window("a", 0, 1)));
            WindowState stale = cache.getAll(List.of(window("a", 0, 0).id())).get(0);
            WindowState absent = cache.getAll(List.of(window("a", 1, 0).id())).get(0);
            write(cache, List.of(window("a", 0, 5), window("a", 1, 7))); // another writer, both windows
            stale.markApplied("t:0", 10, 1);
            absent.markApplied("t:0", 10, 1);
            assertThatThrownBy(() -> cache.putAll(List.of(stale))).isInstanceOf(SpeedCache.ConflictException.class);
            assertThatThrownBy(() -> cache.putAll(List.of(absent))).isInstanceOf(SpeedCache.ConflictException.class);

            WindowState fresh = cache.getAll(List.of(window("a", 0, 0).id())).get(0);
            fresh.markApplied("t:0", 10, 1);
            cache.putAll(List.of(fresh));
            assertThat(cache.windowsOf("t", "w", "a", 10)).extracting(s -> s.highWater("t:0")).containsExactly(10L, -1L);
        }
    }

    @Test
    void theTablesRemovalMakesTheStateStale() {
        try (MvStoreSpeedCache cache = new MvStoreSpeedCache(dir.resolve("c.mv.db"))) {
            write(cache, List.of(window("a", 0, 1)));
            WindowState read = cache.getAll(List.of(window("a", 0, 0).id())).get(0);
            assertThat(cache.removeWindows("t")).isEqualTo(1);
            read.markApplied("t:0", 10, 1);
            assertThatThrownBy(() -> cache.putAll(List.of(read))).isInstanceOf(SpeedCache.ConflictException.class);
            assertThat(cache.windowsOf("t", "w", "a", 10)).isEmpty();
        }
    }

    @Test
    void anotherTablesWriteDoesNotMatterAndAReadStateIsWrittenOnce() {
        try (MvStoreSpeedCache cache = new MvStoreSpeedCache(dir.resolve("c.mv.db"))) {
            write(cache, List.of(window("a", 0, 1)));
            WindowState read = cache.getAll(List.of(window("a", 0, 0).id())).get(0);
            WindowState other = new WindowState(new WindowId("u", "w", "a", 0));
            other.markApplied("t:0", 1, 1);
            cache.putAll(List.of(other));
            read.markApplied("t:0", 10, 1);
            cache.putAll(List.of(read));
            assertThat(cache.getAll(List.of(read.id())).get(0).storedVersion()).isEqualTo(read.version());
            assertThatThrownBy(() -> cache.putAll(List.of(read))) // the same state again: stale now
                    .isInstanceOf(SpeedCache.ConflictException.class);
        }
    }
}
