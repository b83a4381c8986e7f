package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.batch.MergeIsLatestEventWinsTest.Change;
import io.hybridlake.lake.FileReads;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.stream.Fixtures;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many micro-batches leave many small files; compaction rewrites them as one file per partition
 * without changing any row, the merge does not mistake compacted rows for new data, files the merge
 * has not consumed yet are left alone, and merging continues correctly afterwards.
 */
class CompactionKeepsEveryRowTest {
    @TempDir
    Path dir;

    @Test
    void smallFilesBecomeOneAndNothingChanges() {
        PipelineSpec spec = PipelineLoader.load("accounts.yaml", new StringReader(MergeIsLatestEventWinsTest.YAML));
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            var sources = new MergeIsLatestEventWinsTest.Sources(lake, cache, spec);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            Compactor compactor = new Compactor(lake, merger, 32L << 20, 4);
            long lsn = 0;
            for (int batch = 0; batch < 12; batch++) {
                List<Change> changes = new ArrayList<>();
                for (long id = 1; id <= 10; id++) {
                    changes.add(new Change(batch * 10 + id, "c", batch, 1_000_000 + batch, ++lsn));
                }
                sources.send(changes, true);
                merger.merge(spec); // a file per batch in refined/stream, one more in refined/merged per merge
            }
            sources.send(List.of(new Change(1, "u", 99, 2_000_000, ++lsn)), true); // not merged yet
            TablePath stream = TablePath.refinedStream("accounts");
            TablePath merged = TablePath.merged("accounts");
            List<String> streamRows = rows(lake, stream);
            List<String> mergedRows = rows(lake, merged);
            int streamFiles = files(lake, stream);
            int mergedFiles = files(lake, merged);

            List<Compactor.Result> results = compactor.compact(spec);

            assertThat(files(lake, stream)).isEqualTo(2); // 12 merged-away files → 1, the unmerged one kept
            assertThat(streamFiles).isEqualTo(13);
            assertThat(files(lake, merged)).isLessThan(mergedFiles).isEqualTo(1);
            assertThat(rows(lake, stream)).containsExactlyInAnyOrderElementsOf(streamRows);
            assertThat(rows(lake, merged)).containsExactlyInAnyOrderElementsOf(mergedRows);
            assertThat(results).anySatisfy(r -> assertThat(r.table()).isEqualTo(stream.relative()))
                    .anySatisfy(r -> assertThat(r.filesCompacted()).isEqualTo(12));

            Merger.Result next = merger.merge(spec); // only the one unmerged change is new
            assertThat(next.rowsRead()).isEqualTo(1);
            assertThat(next.updated()).isEqualTo(1);
            assertThat(rows(lake, merged)).hasSize(120).anySatisfy(r -> assertThat(r).startsWith("1|99.0|u"));
        }
    }

    @Test
    void clusteredPipelinesWriteRowsInClusterOrder() {
        PipelineSpec spec = PipelineLoader.load("accounts.yaml", new StringReader(MergeIsLatestEventWinsTest.YAML
                + "cluster_by: [balance]\n"));
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            var sources = new MergeIsLatestEventWinsTest.Sources(lake, cache, spec);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            SplittableRandom random = new SplittableRandom(5);
            long lsn = 0;
            for (int batch = 0; batch < 6; batch++) {
                List<Change> changes = new ArrayList<>();
                for (long id = 1; id <= 20; id++) {
                    changes.add(new Change(batch * 20 + id, "c", random.nextInt(10_000), 1_000_000 + batch, ++lsn));
                }
                sources.send(changes, true);
                merger.merge(spec);
            }
            new Compactor(lake, merger, 32L << 20, 4).compact(spec);
            for (TablePath path : List.of(TablePath.refinedStream("accounts"), TablePath.merged("accounts"))) {
                TableReader reader = new TableReader(lake.table(path));
                long version = lake.table(path).latestVersion();
                List<FileReads.FileRows> files = new FileReads(lake.table(path)).rowsIn(version, new TableFiles(lake.table(path)).filePaths(version));
                assertThat(files).as("%s compacted to one file", path).hasSize(1);
                List<Double> balances = files.get(0).rows().stream().map(r -> (Double) r[1]).toList();
                assertThat(balances).hasSize(120).isSorted();
            }
        }
    }

    private static int files(Lake lake, TablePath path) {
        TableReader reader = new TableReader(lake.table(path));
        return new TableFiles(lake.table(path)).filePaths(lake.table(path).latestVersion()).size();
    }

    private static List<String> rows(Lake lake, TablePath path) {
        return Fixtures.rows(lake, path).stream().map(r -> r[0] + "|" + r[1] + "|" + r[2] + "|"
                + Arrays.toString(Arrays.copyOfRange(r, 3, r.length))).toList();
    }
}
