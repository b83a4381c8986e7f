package io.hybridlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendIsExactlyOnceTest {
    static final TableSchema SCHEMA = new TableSchema(List.of(
            Column.required("id", ColumnType.STRING),
            Column.optional("amount", ColumnType.DOUBLE),
            Column.required("day", ColumnType.DATE)), List.of("day"));

    @TempDir
    Path dir;

    static RowBatch rows(int from, int to) {
        RowBatch b = new RowBatch(SCHEMA, 4);
        for (int i = from; i < to; i++) {
            b.setObject(0, "id-" + i);
            if (i % 3 != 0) {
                b.setDouble(1, i * 1.5);
            }
            b.setInt(2, 20000 + i % 2);
            b.endRow();
        }
        return b;
    }

    @Test
    void partitionedAppendsAreReadBackWithTheirTransactionVersions() {
        try (Lake lake = Lake.local(dir)) {
            LakeTable table = lake.table(TablePath.refinedStream("t"));
            assertThat(table.lastTransactionVersion("app")).isEqualTo(-1);
            table.append(rows(0, 10), new TransactionMark("app", 9));
            table.append(rows(10, 25), new TransactionMark("app", 24));
            assertThat(table.lastTransactionVersion("app")).isEqualTo(24);

            List<Object[]> read = new ArrayList<>();
            new TableReader(table).forEachRow(OptionalLong.empty(), read::add);
            assertThat(read).hasSize(25);
            assertThat(read).extracting(r -> r[0]).doesNotHaveDuplicates();
            for (Object[] r : read) {
                int i = Integer.parseInt(((String) r[0]).substring(3));
                assertThat(r[2]).isEqualTo(20000 + i % 2);
                assertThat(r[1]).isEqualTo(i % 3 == 0 ? null : i * 1.5);
            }
            TableInfo info = new TableReader(table).info(OptionalLong.empty());
            assertThat(info.rowCount()).isEqualTo(25);
            assertThat(info.fileCount()).isEqualTo(4); // two commits x two day partitions
            assertThat(info.version()).isEqualTo(2);
            assertThat(new TableReader(table).info(OptionalLong.of(1)).rowCount()).isEqualTo(10);
        }
    }

    @Test
    void aConcurrentCommitOfTheSameTransactionIdIsRefused() {
        try (Lake lake = Lake.local(dir)) {
            LakeTable table = lake.table(TablePath.rawStream("t"));
            table.append(rows(0, 5), new TransactionMark("app", 4));
            assertThatThrownBy(() -> table.append(rows(0, 5), new TransactionMark("app", 4)))
                    .isInstanceOf(LakeException.class);
            assertThat(new TableReader(table).info(OptionalLong.empty()).rowCount()).isEqualTo(5);
        }
    }
}
