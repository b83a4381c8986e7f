package io.hybridlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.HybridlakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version's file listing is replayed from the log once and kept, so it must never answer for anything
 * but that commit: the latest version is found by listing the log (the same as Kernel's latest snapshot,
 * and a new commit is seen at once), and a table deleted and written again at the same path is read from
 * its new log, not from the kept listing.
 */
class VersionListingsAreExactTest {
    static final TableSchema SCHEMA = new TableSchema(List.of(Column.required("id", ColumnType.LONG),
            Column.optional("region", ColumnType.STRING)), List.of("region"));

    @TempDir
    Path dir;

    private static RowBatch rows(long from, String... regions) {
        RowBatch b = new RowBatch(SCHEMA, regions.length);
        for (int i = 0; i < regions.length; i++) {
            b.setLong(0, from + i);
            b.setObject(1, regions[i]);
            b.endRow();
        }
        return b;
    }

    private static List<Path> paths(SnapshotFiles files) {
        return files.files().stream().map(SnapshotFiles.File::path).sorted().toList();
    }

    @Test
    void aNewCommitAndATableWrittenAgainAreNeverAnsweredFromAnOlderListing() throws Exception {
        try (Lake lake = Lake.local(dir.resolve("lake"))) {
            LakeTable table = lake.table(TablePath.refinedStream("t"));
            TableFiles files = new TableFiles(table);
            assertThat(files.latestSnapshotFiles(LocalFiles.onLocalDisk())).isEmpty();

            table.append(rows(0, "eu", "us"), new TransactionMark("a", 0));
            SnapshotFiles first = files.snapshotFiles(OptionalLong.empty());
            long v1 = table.latest().orElseThrow().getVersion(); // Kernel's latest snapshot
            assertThat(first.version()).isEqualTo(v1);
            assertThat(first.files()).hasSize(2);

            table.append(rows(2, "eu"), new TransactionMark("a", 1));
            SnapshotFiles second = files.snapshotFiles(OptionalLong.empty());
            long v2 = table.latest().orElseThrow().getVersion();
            assertThat(v2).isGreaterThan(v1);
            assertThat(second.version()).isEqualTo(v2);
            assertThat(second.files()).hasSize(3);
            assertThat(paths(files.snapshotFiles(OptionalLong.of(v1)))).isEqualTo(paths(first));
            assertThat(paths(files.snapshotFiles(OptionalLong.of(v2)))).isEqualTo(paths(second));

            // another engine drops the table and writes a new one at the same path: the same versions again
            try (Stream<Path> walk = Files.walk(dir.resolve("lake").resolve(TablePath.refinedStream("t").relative()))) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            table.forgetCachedSnapshot();
            table.append(rows(10, "ap"), new TransactionMark("b", 0));
            table.append(rows(11, "ap", "af"), new TransactionMark("b", 1));
            assertThat(table.latest().orElseThrow().getVersion()).isEqualTo(v2);
            assertThat(table.latestVersion()).isEqualTo(v2);
            SnapshotFiles again = files.snapshotFiles(OptionalLong.of(v2));
            assertThat(again.version()).isEqualTo(v2);
            assertThat(again.files()).hasSize(3).allSatisfy(f -> assertThat(f.path()).exists());
            assertThat(paths(again)).doesNotContainAnyElementsOf(paths(second));
            assertThat(again.files()).extracting(f -> f.partitionValues().get("region")).containsOnly("ap", "af");
            assertThat(paths(files.snapshotFiles(OptionalLong.empty()))).isEqualTo(paths(again));

            assertThatThrownBy(() -> files.snapshotFiles(OptionalLong.of(v2 + 5)))
                    .isInstanceOf(HybridlakeException.NotFound.class).hasMessageContaining("has no version " + (v2 + 5));
        }
    }
}
