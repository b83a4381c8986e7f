package io.hybridlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local copies SQL reads a remote lake from (here the "remote" lake is a local one, read through
 * the same storage interface): bounded by their bytes with the least recently used unpinned copies
 * deleted, a running query's copies kept, a query larger than the bound refused before anything is
 * copied, no copy outside its directory, a copy whose size disagrees with the log never used.
 */
class FileCacheTest {
    private static final int FILE_BYTES = 1000;

    @TempDir
    Path dir;
    private Lake lake;
    private Path cacheDir;

    @BeforeEach
    void lake() throws IOException {
        lake = Lake.local(dir.resolve("lake"));
        for (int i = 0; i < 6; i++) {
            Path file = dir.resolve("lake/refined/t/day=2025-01-0" + (i + 1) + "/part-" + i + ".parquet");
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[FILE_BYTES]);
        }
        cacheDir = dir.resolve("copies");
    }

    private LocalFiles.LakeFile file(int i) {
        return new LocalFiles.LakeFile(lake.root() + "/refined/t/day=2025-01-0" + (i + 1) + "/part-" + i + ".parquet",
                FILE_BYTES);
    }

    @Test
    void copiesKeepTheLakeLayoutAndStayWithinTheBoundDroppingTheLeastRecentlyUsed() throws IOException {
        try (FileCache cache = new FileCache(lake, cacheDir, 2L * FILE_BYTES, 2)) {
            List<Path> first;
            try (LocalFiles lease = cache.lease()) {
                first = lease.paths("refined/t", List.of(file(0), file(1)));
                assertThat(first).allMatch(Files::exists).allMatch(p -> p.startsWith(cache.directory()));
                assertThat(first.get(0)).endsWith(Path.of("refined/t/day=2025-01-01/part-0.parquet"));
                assertThat(Files.readAllBytes(first.get(0))).hasSize(FILE_BYTES);
            }
            try (LocalFiles lease = cache.lease()) {
                List<Path> second = lease.paths("refined/t", List.of(file(2), file(3)));
                assertThat(second).allMatch(Files::exists);
                assertThat(first).noneMatch(Files::exists);
                assertThat(cache.bytes()).isEqualTo(2L * FILE_BYTES);
            }
        }
    }

    @Test
    void aRunningQuerysCopiesAreNotDeletedUnderIt() {
        try (FileCache cache = new FileCache(lake, cacheDir, 2L * FILE_BYTES, 2);
                LocalFiles running = cache.lease()) {
            List<Path> held = running.paths("refined/t", List.of(file(0), file(1)));
            try (LocalFiles other = cache.lease()) {
                assertThat(other.paths("refined/t", List.of(file(2)))).allMatch(Files::exists);
                assertThat(held).allMatch(Files::exists);
            }
            assertThat(cache.bytes()).as("the other query's copy went when it ended").isEqualTo(2L * FILE_BYTES);
        }
    }

    @Test
    void queriesAskingForTheSameFilesAtOnceShareOneCopy() throws Exception {
        try (FileCache cache = new FileCache(lake, cacheDir, 1L << 20, 2)) {
            List<LocalFiles.LakeFile> files = List.of(file(0), file(1), file(2));
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService queries = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<Path>>> answers = new ArrayList<>();
                for (int q = 0; q < 4; q++) {
                    answers.add(queries.submit(() -> {
                        start.await();
                        try (LocalFiles lease = cache.lease()) {
                            List<Path> paths = lease.paths("refined/t", files);
                            assertThat(paths).allMatch(p -> p.toFile().length() == FILE_BYTES);
                            return paths;
                        }
                    }));
                }
                start.countDown();
                List<Path> first = answers.get(0).get();
                for (Future<List<Path>> answer : answers) {
                    assertThat(answer.get()).isEqualTo(first);
                }
            } finally {
                queries.shutdownNow();
            }
            assertThat(cache.bytes()).as("each file copied once").isEqualTo(3L * FILE_BYTES);
            assertThat(files(cacheDir)).hasSize(3);
        }
    }

    @Test
    void aQueryNeedingMoreThanTheBoundIsRefusedBeforeAnythingIsCopied() throws IOException {
        try (FileCache cache = new FileCache(lake, cacheDir, 2L * FILE_BYTES, 2); LocalFiles lease = cache.lease()) {
            assertThatThrownBy(() -> lease.paths("refined/t", List.of(file(0), file(1), file(2))))
                    .isInstanceOf(LakeException.class).hasMessageContaining("refined/t").hasMessageContaining("3000 bytes")
                    .hasMessageContaining("hybridlake.sql.cache-bytes");
            assertThat(cache.bytes()).isZero();
            assertThat(files(cacheDir)).isEmpty();
        }
    }

    @Test
    void aLocationOutsideTheLakeIsRefusedAndNothingIsWrittenOutside() throws IOException {
        Files.writeString(dir.resolve("secret.txt"), "not lake data");
        try (FileCache cache = new FileCache(lake, cacheDir, 1L << 20, 2); LocalFiles lease = cache.lease()) {
            assertThatThrownBy(() -> lease.paths("refined/t", List.of(new LocalFiles.LakeFile(lake.root()
                    + "/refined/t/../../../secret.txt", 13)))).isInstanceOf(LakeException.class)
                    .hasMessageContaining("secret.txt").hasMessageContaining("leaves the lake root");
            assertThatThrownBy(() -> lease.paths("refined/t", List.of(new LocalFiles.LakeFile("file:/etc/passwd", 10))))
                    .isInstanceOf(LakeException.class).hasMessageContaining("outside the lake");
            assertThat(files(dir.resolve("copies"))).isEmpty();
        }
    }

    @Test
    void aBadLocationAfterGoodOnesReservesNothingAndTheGoodFilesStillCopy() throws IOException {
        try (FileCache cache = new FileCache(lake, cacheDir, 1L << 20, 2)) {
            try (LocalFiles lease = cache.lease()) {
                assertThatThrownBy(() -> lease.paths("refined/t", List.of(file(0), new LocalFiles.LakeFile(lake.root()
                        + "/refined/t/../../../escape.parquet", 10)))).isInstanceOf(LakeException.class)
                        .hasMessageContaining("leaves the lake root");
            }
            assertThat(cache.bytes()).as("no copy registered for a refused query").isZero();
            try (LocalFiles lease = cache.lease()) {
                assertThat(lease.paths("refined/t", List.of(file(0)))).allMatch(Files::exists);
            }
        }
    }

    @Test
    void aCopyWhoseSizeDisagreesWithTheLogIsNotUsedAndNothingHalfWrittenStays() throws IOException {
        try (FileCache cache = new FileCache(lake, cacheDir, 1L << 20, 2)) {
            LocalFiles.LakeFile wrongSize = new LocalFiles.LakeFile(file(0).location(), FILE_BYTES + 1);
            try (LocalFiles lease = cache.lease()) {
                assertThatThrownBy(() -> lease.paths("refined/t", List.of(wrongSize))).isInstanceOf(LakeException.class)
                        .hasMessageContaining("part-0.parquet").hasMessageContaining("refined/t")
                        .hasMessageContaining(String.valueOf(FILE_BYTES + 1));
            }
            assertThat(files(cacheDir)).isEmpty();
            assertThat(cache.bytes()).isZero();
            try (LocalFiles lease = cache.lease()) {
                assertThat(lease.paths("refined/t", List.of(file(0)))).allMatch(Files::exists);
            }
        }
    }

    @Test
    void copiesOfProcessesThatAreGoneAreDeletedAndOwnCopiesGoOnClose() throws IOException {
        Path stale = cacheDir.resolve("hybridlake-file-cache/" + Long.MAX_VALUE + "/refined/t/old.parquet");
        Files.createDirectories(stale.getParent());
        Files.write(stale, new byte[10]);
        Path cache;
        try (FileCache copies = new FileCache(lake, cacheDir, 1L << 20, 2); LocalFiles lease = copies.lease()) {
            lease.paths("refined/t", List.of(file(0)));
            assertThat(stale).doesNotExist();
            cache = copies.directory();
            assertThat(cache).isDirectory();
        }
        assertThat(cache).doesNotExist();
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}
