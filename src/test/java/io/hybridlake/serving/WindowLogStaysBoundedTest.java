package io.hybridlake.serving;

import static io.hybridlake.serving.WindowWrites.window;
import static io.hybridlake.serving.WindowWrites.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live traffic rewrites the same windows poll after poll: the window log must fold once it is mostly
 * states written over since, or it grows by every state written and a reopen reads it all again. A
 * replay writes most windows once: its log is all current, and it still folds by count only.
 */
class WindowLogStaysBoundedTest {
    private static final long MIN_LOG_BYTES = 64 << 10;
    private static final MvStoreWindows.FoldPolicy POLICY = new MvStoreWindows.FoldPolicy(1_000_000, MIN_LOG_BYTES);

    @TempDir
    Path dir;

    @Test
    void rewritingTheSameWindowsFoldsTheLog() {
        Path file = dir.resolve("cache.mv.db");
        long written = 0;
        try (MvStoreSpeedCache cache = new MvStoreSpeedCache(file, POLICY)) {
            for (int poll = 1; poll <= 300; poll++) {
                List<WindowState> states = new ArrayList<>();
                for (int key = 0; key < 100; key++) {
                    states.add(window("k" + key, 0, poll));
                }
                written += write(cache, states);
                // bounded by the fold rule: the floor, or four times the current states, plus the last record
                assertThat(cache.windowLogBytes()).isLessThan(2 * MIN_LOG_BYTES);
            }
            assertThat(written).as("bytes of the states written").isGreaterThan(10 * MIN_LOG_BYTES);
        }
        try (MvStoreSpeedCache cache = new MvStoreSpeedCache(file, POLICY)) {
            for (int key = 0; key < 100; key++) {
                List<WindowState> states = cache.windowsOf("t", "w", "k" + key, 10);
                assertThat(states).hasSize(1);
                assertThat(states.get(0).segments().get(0).count).isEqualTo(300L);
                assertThat(states.get(0).version()).isEqualTo(300L);
            }
            assertThat(cache.windowLogBytes()).isLessThan(2 * MIN_LOG_BYTES);
        }
    }

    @Test
    void windowsWrittenOnceStayInTheLogUntilTheCountFolds() {
        try (MvStoreSpeedCache cache = new MvStoreSpeedCache(dir.resolve("cache.mv.db"), POLICY)) {
            long written = 0;
            for (int poll = 0; poll < 20; poll++) {
                List<WindowState> states = new ArrayList<>();
                for (int key = 0; key < 100; key++) {
                    states.add(window("k" + key, poll, 1));
                }
                written += write(cache, states);
            }
            assertThat(written).isGreaterThan(MIN_LOG_BYTES);
            assertThat(cache.windowLogBytes()).as("nothing folded: every state in the log is current")
                    .isGreaterThanOrEqualTo(written);
        }
    }
}
