package io.hybridlake.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows removed merge-on-read ({@link RowRemoval#markRowsDeleted}, what a replay's rewind does) leave
 * every file in place with a deletion vector, readers stop seeing exactly those rows, and a consumer
 * of new data (the MERGE reading its sources) is not handed the files it already had again — only
 * files it has not seen, even when they were given a vector since.
 */
class RowsMarkedDeletedAreNotNewDataTest {
    @TempDir
    Path dir;

    @Test
    void markedRowsDisappearInPlaceAndFilesAlreadyConsumedAreNotNewData() {
        try (Lake lake = Lake.local(dir)) {
            LakeTable table = lake.table(TablePath.refinedStream("t"));
            long consumed = table.append(AppendIsExactlyOnceTest.rows(0, 10), new TransactionMark("app", 9)).version();
            TableReader reader = new TableReader(table);
            Set<String> before = new TableFiles(table).filePaths(consumed);

            long marked = new RowRemoval(table).markRowsDeleted(consumed, List.of("id"), row -> ((String) row[0]).compareTo("id-5") >= 0,
                    Map.of("app", 4L), Map.of(), Set.of());
            assertThat(new TableFiles(table).filePaths(marked)).isEqualTo(before);
            assertThat(ids(reader, marked)).containsExactlyInAnyOrder("id-0", "id-1", "id-2", "id-3", "id-4");
            assertThat(ids(reader, consumed)).hasSize(10);
            assertThat(table.lastTransactionVersion("app")).as("the rewound mark").isEqualTo(4);
            assertThat(new TableLog(table).dataFilesAddedAfter(consumed, marked)).as("files the consumer had, re-added with a vector")
                    .isEmpty();

            long appended = table.append(AppendIsExactlyOnceTest.rows(10, 12), new TransactionMark("app", 11)).version();
            Set<String> fresh = new HashSet<>(new TableFiles(table).filePaths(appended));
            fresh.removeAll(before);
            long markedAgain = new RowRemoval(table).markRowsDeleted(appended, List.of("id"), row -> row[0].equals("id-10"),
                    Map.of("app", 11L), Map.of(), Set.of());
            assertThat(new TableLog(table).dataFilesAddedAfter(consumed, markedAgain)).as("new files, one of them with a vector since")
                    .isEqualTo(fresh);
            assertThat(ids(reader, markedAgain)).containsExactlyInAnyOrder("id-0", "id-1", "id-2", "id-3", "id-4", "id-11");
        }
    }

    private static List<String> ids(TableReader reader, long version) {
        List<String> ids = new ArrayList<>();
        reader.forEachRow(OptionalLong.of(version), r -> ids.add((String) r[0]));
        return ids;
    }
}
