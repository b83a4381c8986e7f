package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.batch.MergeIsLatestEventWinsTest.Change;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.stream.Fixtures;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After compaction, vacuum deletes the compacted-away files and old orphans (files no commit
 * references), keeps every file the current snapshot reads and any file still being written, and
 * never touches the log; the table reads the same before and after.
 */
class VacuumKeepsWhatSnapshotsNeedTest {
    @TempDir
    Path dir;

    @Test
    void onlyUnneededFilesAreDeleted() throws Exception {
        PipelineSpec spec = PipelineLoader.load("accounts.yaml", new StringReader(MergeIsLatestEventWinsTest.YAML));
        Path lakeDir = dir.resolve("lake");
        try (Lake lake = Lake.local(lakeDir); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            var sources = new MergeIsLatestEventWinsTest.Sources(lake, cache, spec);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            for (int batch = 0; batch < 10; batch++) {
                List<Change> changes = new ArrayList<>();
                for (long id = 1; id <= 5; id++) {
                    changes.add(new Change(batch * 5 + id, "c", batch, 1_000_000 + batch, batch * 5 + id));
                }
                sources.send(changes, true);
            }
            merger.merge(spec);
            new Compactor(lake, merger, 32L << 20, 4).compact(spec);
            TablePath stream = TablePath.refinedStream("accounts");
            Path tableDir = lakeDir.resolve(stream.relative());
            List<Object[]> before = Fixtures.rows(lake, stream);
            long logFiles = count(tableDir.resolve("_delta_log"));
            Path oldOrphan = Files.writeString(tableDir.resolve("lost-commit.parquet"), "never committed");
            Files.setLastModifiedTime(oldOrphan, FileTime.from(Instant.now().minusSeconds(3600)));
            Path inFlight = Files.writeString(tableDir.resolve("being-written.parquet"), "a write in progress");
            Files.setLastModifiedTime(inFlight, FileTime.from(Instant.now().plusSeconds(3600)));
            assertThat(dataFiles(tableDir)).hasSize(10 + 1 + 2); // 10 appends, 1 compacted, 2 strays

            long now = System.currentTimeMillis() + 600_000; // ten minutes on, with a five-minute retention
            var result = lake.vacuum(stream, 300_000, now);

            assertThat(result.filesDeleted()).isEqualTo(11); // the 10 compacted-away files and the old orphan
            assertThat(dataFiles(tableDir)).hasSize(2).contains(inFlight);
            assertThat(count(tableDir.resolve("_delta_log"))).isEqualTo(logFiles);
            assertThat(Fixtures.rows(lake, stream)).hasSameSizeAs(before);
            assertThat(lake.vacuum(stream, 300_000, now).filesDeleted()).isZero();
        }
    }

    private static List<Path> dataFiles(Path table) throws Exception {
        try (Stream<Path> files = Files.walk(table)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("_delta_log")).toList();
        }
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
