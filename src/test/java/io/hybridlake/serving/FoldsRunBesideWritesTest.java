package io.hybridlake.serving;

import static io.hybridlake.serving.WindowWrites.window;
import static io.hybridlake.serving.WindowWrites.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded cache folds its window log on a thread of its own while writes and reads go on: every
 * read, during and between folds, sees each window's newest written state (never an older one, never
 * none), a reopened store holds exactly the newest states, and a fold that fails loses nothing.
 */
class FoldsRunBesideWritesTest {
    /** A fold every two writes of 100 windows: many folds, each beside the writes and reads that follow. */
    private static final MvStoreWindows.FoldPolicy OFTEN = new MvStoreWindows.FoldPolicy(200, Long.MAX_VALUE);

    @TempDir
    Path dir;

    @Test
    void readsDuringFoldsSeeTheNewestStateOfEveryWindow() throws Exception {
        Path file = dir.resolve("c.mv.db");
        Map<String, Long> written = new ConcurrentHashMap<>(); // "key/minute" -> count of its newest state
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Random random = new Random(7);
        try (MvStoreSpeedCache cache = new MvStoreSpeedCache(file, OFTEN)) {
            Thread reader = new Thread(() -> {
                while (writing.get()) {
                    for (Map.Entry<String, Long> w : written.entrySet()) {
                        String[] parts = w.getKey().split("/");
                        long expected = w.getValue(); // written before this read started: the read sees it or newer
                        long seen = count(cache, parts[0], Integer.parseInt(parts[1]));
                        if (seen < expected) {
                            wrong.add(w.getKey() + " read " + seen + ", written " + expected);
                        }
                    }
                }
            });
            reader.start();
            for (int poll = 1; poll <= 300; poll++) {
                Map<String, WindowState> states = new LinkedHashMap<>();
                for (int i = 0; i < 100; i++) {
                    String key = "k" + random.nextInt(60);
                    int minute = random.nextInt(10);
                    states.put(key + "/" + minute, window(key, minute, poll));
                }
                write(cache, new ArrayList<>(states.values()));
                for (String w : states.keySet()) {
                    written.put(w, (long) poll);
                }
                for (int check = 0; check < 20; check++) { // and on this thread, right after the write
                    String key = "k" + random.nextInt(60);
                    int minute = random.nextInt(10);
                    assertThat(count(cache, key, minute)).as(key + "/" + minute)
                            .isEqualTo(written.getOrDefault(key + "/" + minute, 0L));
                }
            }
            writing.set(false);
            reader.join();
        }
        assertThat(wrong).isEmpty();
        try (MvStoreSpeedCache reopened = new MvStoreSpeedCache(file, OFTEN)) {
            for (Map.Entry<String, Long> w : written.entrySet()) {
                String[] parts = w.getKey().split("/");
                assertThat(count(reopened, parts[0], Integer.parseInt(parts[1]))).as(w.getKey()).isEqualTo(w.getValue());
            }
        }
    }

    @Test
    void aFoldThatFailsLosesNothing() {
        String file = FailingFiles.name(dir.resolve("f.mv.db"));
        try (MvStoreSpeedCache cache = new MvStoreSpeedCache(file, new MvStoreWindows.FoldPolicy(1_000, Long.MAX_VALUE))) {
            for (int minute = 0; minute < 50; minute++) {
                write(cache, List.of(window("a", minute, minute + 1)));
            }
            FailingFiles.FAIL_WRITES.set(true);
            assertThatThrownBy(() -> cache.removeWindows("other")) // folds first, on this thread: its commit fails
                    .hasStackTraceContaining("injected write failure");
            FailingFiles.FAIL_WRITES.set(false);
            for (int minute = 0; minute < 50; minute++) {
                assertThat(count(cache, "a", minute)).as("minute " + minute).isEqualTo(minute + 1);
            }
            assertThat(cache.reopens()).isEqualTo(1);
        } finally {
            FailingFiles.FAIL_WRITES.set(false);
        }
    }

    private static long count(MvStoreSpeedCache cache, String key, int minute) {
        List<WindowState> states = cache.windowsOf("t", "w", key, minute * 60_000_000L, minute * 60_000_000L + 1, 1);
        return states.isEmpty() ? 0 : states.get(0).segments().get(0).count;
    }
}
