package io.hybridlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows meet a table by column name: another order is written under the table's order, a nullable
 * column the rows lack (another writer's) is written as null, and what cannot be written is refused
 * naming the table and the column.
 */
class ColumnsMatchByNameTest {
    @TempDir
    Path dir;

    private static final TableSchema ROWS = new TableSchema(List.of(
            Column.optional("amount", ColumnType.DOUBLE),
            Column.required("id", ColumnType.STRING),
            Column.required("day", ColumnType.DATE)), List.of("day"));

    @Test
    void anotherOrderAndAColumnAnotherWriterAddedAreWrittenByName() {
        try (Lake lake = Lake.local(dir)) {
            LakeTable table = lake.table(TablePath.refinedStream("t"));
            table.ensureExists(TablesGainColumnsTest.V2); // id, amount, channel (optional), day
            RowBatch rows = new RowBatch(ROWS, 3);
            for (int i = 0; i < 3; i++) {
                rows.setDouble(0, i + 0.5);
                rows.setObject(1, "id-" + i);
                rows.setInt(2, 20000 + i);
                rows.endRow();
            }
            var result = new TableAppends(table).appendExactlyOnce(ROWS, Map.of("app", 2L), committed -> rows);
            assertThat(result.committed()).isTrue();
            List<Object[]> read = new ArrayList<>();
            TableSchema schema = new TableReader(table).forEachRow(OptionalLong.empty(), read::add);
            assertThat(schema).isEqualTo(TablesGainColumnsTest.V2);
            assertThat(read).extracting(r -> r[0] + "|" + r[1] + "|" + r[2] + "|" + r[3])
                    .containsExactlyInAnyOrder("id-0|0.5|null|20000", "id-1|1.5|null|20001", "id-2|2.5|null|20002");
        }
    }

    @Test
    void whatCannotBeWrittenIsNamed() {
        TableSchema table = new TableSchema(List.of(Column.required("id", ColumnType.STRING),
                Column.optional("amount", ColumnType.LONG), Column.required("owner", ColumnType.STRING),
                Column.required("day", ColumnType.DATE)), List.of("day"));
        assertThatThrownBy(() -> SchemaMatch.target("refined/stream/t", table, ROWS))
                .isInstanceOf(LakeException.class).hasMessageContaining("refined/stream/t")
                .hasMessageContaining("column 'amount' is LONG in the table and DOUBLE in the rows")
                .hasMessageContaining("required column 'owner' that the pipeline does not write");
        TableSchema fewer = new TableSchema(List.of(Column.required("id", ColumnType.STRING),
                Column.required("day", ColumnType.DATE)), List.of("day"));
        assertThatThrownBy(() -> SchemaMatch.target("refined/stream/t", fewer, ROWS))
                .hasMessageContaining("the rows have column 'amount' (DOUBLE) which the table lacks");
    }
}
