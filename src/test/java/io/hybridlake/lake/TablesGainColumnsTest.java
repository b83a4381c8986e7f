package io.hybridlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablesGainColumnsTest {
    static final TableSchema V1 = AppendIsExactlyOnceTest.SCHEMA;
    /** V1 with an optional channel column between amount and day (where a pipeline's new field goes). */
    static final TableSchema V2 = new TableSchema(List.of(
            Column.required("id", ColumnType.STRING),
            Column.optional("amount", ColumnType.DOUBLE),
            Column.optional("channel", ColumnType.STRING),
            Column.required("day", ColumnType.DATE)), List.of("day"));

    @TempDir
    Path dir;

    @Test
    void anAddedColumnIsNullInOldRowsAndKeptInNewOnes() {
        try (Lake lake = Lake.local(dir)) {
            LakeTable table = lake.table(TablePath.refinedStream("t"));
            table.append(AppendIsExactlyOnceTest.rows(0, 10), new TransactionMark("app", 9));
            long before = table.latestVersion();

            assertThat(table.evolve(V2)).isTrue();
            assertThat(table.evolve(V2)).as("evolving to the same schema again").isFalse();
            assertThat(table.schema()).contains(V2);

            RowBatch b = new RowBatch(V2, 4);
            for (int i = 10; i < 14; i++) {
                b.setObject(0, "id-" + i);
                b.setDouble(1, i * 1.5);
                b.setObject(2, "web-" + i);
                b.setInt(3, 20000 + i % 2);
                b.endRow();
            }
            table.append(b, new TransactionMark("app", 13));

            List<Object[]> read = new ArrayList<>();
            new TableReader(table).forEachRow(OptionalLong.empty(), read::add);
            assertThat(read).hasSize(14);
            for (Object[] r : read) {
                int i = Integer.parseInt(((String) r[0]).substring(3));
                assertThat(r[2]).isEqualTo(i < 10 ? null : "web-" + i);
                assertThat(r[3]).isEqualTo(20000 + i % 2);
            }
            List<Object[]> old = new ArrayList<>();
            TableSchema oldSchema = new TableReader(table).forEachRow(OptionalLong.of(before), old::add);
            assertThat(oldSchema).as("time travel reads the old schema").isEqualTo(V1);
            assertThat(old).hasSize(10);

            // compaction rewrites old and new files together under the new schema
            long version = table.latestVersion();
            TableCompaction.Result c = new TableCompaction(table).compact(version, new TableFiles(table).filePaths(version), null);
            assertThat(c.schema()).isEqualTo(V2);
            List<Object[]> after = new ArrayList<>();
            new TableReader(table).forEachRow(OptionalLong.empty(), after::add);
            assertThat(after).extracting(r -> r[0] + "/" + r[2])
                    .containsExactlyInAnyOrderElementsOf(read.stream().map(r -> r[0] + "/" + r[2]).toList());
        }
    }

    @Test
    void incompatibleChangesAreRefusedNamingTheColumn() {
        try (Lake lake = Lake.local(dir)) {
            LakeTable table = lake.table(TablePath.refinedStream("t"));
            table.append(AppendIsExactlyOnceTest.rows(0, 3), new TransactionMark("app", 2));
            TableSchema retyped = new TableSchema(List.of(Column.required("id", ColumnType.STRING),
                    Column.optional("amount", ColumnType.STRING), Column.required("day", ColumnType.DATE)), List.of("day"));
            assertThatThrownBy(() -> table.evolve(retyped)).isInstanceOf(LakeException.class)
                    .hasMessageContaining("refined/stream/t").hasMessageContaining("'amount' is DOUBLE");
            TableSchema dropped = new TableSchema(List.of(Column.required("id", ColumnType.STRING),
                    Column.required("day", ColumnType.DATE)), List.of("day"));
            assertThat(table.evolve(dropped)).as("a nullable column the target lacks is kept (another writer's)").isFalse();
            TableSchema withoutId = new TableSchema(List.of(Column.optional("amount", ColumnType.DOUBLE),
                    Column.required("day", ColumnType.DATE)), List.of("day"));
            assertThatThrownBy(() -> table.evolve(withoutId)).hasMessageContaining("required column 'id' is not in the new schema");
            TableSchema requiredNew = new TableSchema(List.of(Column.required("id", ColumnType.STRING),
                    Column.optional("amount", ColumnType.DOUBLE), Column.required("day", ColumnType.DATE),
                    Column.required("region", ColumnType.STRING)), List.of("day"));
            assertThatThrownBy(() -> table.evolve(requiredNew)).hasMessageContaining("new column 'region' is required");
            assertThat(table.schema()).contains(V1);
            RowBatch wider = new RowBatch(V2, 1);
            wider.setObject(0, "x");
            wider.setInt(3, 1);
            wider.endRow();
            assertThatThrownBy(() -> table.append(wider, new TransactionMark("app", 3))).as("rows with a column the table lacks").isInstanceOf(LakeException.class)
                    .hasMessageContaining("refined/stream/t");
        }
    }
}
