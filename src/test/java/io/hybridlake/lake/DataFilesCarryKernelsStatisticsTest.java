package io.hybridlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.defaults.internal.parquet.ParquetStatsReader;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybridlake writes its flat tables' data files itself ({@link ParquetDataWriter}), with statistics
 * gathered while writing. Checked against Kernel: the statistics in the log equal what Kernel's own
 * reader derives from the written file's footer, and Kernel's Parquet reader reads every value back.
 */
class DataFilesCarryKernelsStatisticsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableSchema SCHEMA = new TableSchema(List.of(
            Column.required("id", ColumnType.STRING), Column.optional("name", ColumnType.STRING),
            Column.optional("n", ColumnType.INT), Column.optional("big", ColumnType.LONG),
            Column.optional("x", ColumnType.DOUBLE), Column.optional("flag", ColumnType.BOOLEAN),
            Column.optional("at", ColumnType.TIMESTAMP), Column.optional("day", ColumnType.DATE),
            Column.optional("payload", ColumnType.BINARY), Column.optional("never", ColumnType.LONG)), List.of());

    @TempDir
    Path dir;

    @Test
    void statisticsEqualKernelsFromTheFooterAndValuesReadBack() throws Exception {
        List<Object[]> rows = List.of(
                new Object[] {"a", "\uFFFD", 5, -7L, -1.5, true, 1_700_000_000_123_456L, 19_000, new byte[] {1, 2}, null},
                // an emoji sorts after U+FFFD in UTF-8 (as Parquet and Spark compare) but before it in UTF-16
                new Object[] {"b", "\uD83D\uDE00", -3, 9_000_000_000L, 2.5, false, 1_600_000_000_000_001L, 20_000, null, null},
                new Object[] {"c", null, null, null, null, null, null, null, new byte[0], null});
        JsonNode add = writeAndReadAdd(rows);
        JsonNode ours = JSON.readTree(add.get("stats").asText());
        assertThat(ours.at("/maxValues/name").asText()).isEqualTo("\uD83D\uDE00");
        assertThat(ours.at("/minValues/big").asLong()).isEqualTo(-7L);
        assertThat(ours.at("/nullCount/never").asLong()).isEqualTo(3);
        assertThat(ours.at("/minValues/never").isMissingNode() || ours.at("/minValues/never").isNull()).isTrue();
        assertThat(ours).isEqualTo(kernelsStatistics(add));

        List<Object[]> read = new ArrayList<>();
        try (Lake lake = Lake.local(dir)) {
            new TableReader(lake.table(TablePath.refinedStream("t"))).forEachRow(OptionalLong.empty(), read::add);
        }
        assertThat(read).extracting(DataFilesCarryKernelsStatisticsTest::text)
                .containsExactlyInAnyOrderElementsOf(rows.stream().map(DataFilesCarryKernelsStatisticsTest::text).toList());
    }

    @Test
    void aColumnWithNaNHasNoBounds() throws Exception {
        List<Object[]> rows = List.of(
                new Object[] {"a", null, null, null, 1.0, null, null, null, null, null},
                new Object[] {"b", null, null, null, Double.NaN, null, null, null, null, null});
        JsonNode ours = JSON.readTree(writeAndReadAdd(rows).get("stats").asText());
        assertThat(ours.at("/minValues/x").isMissingNode()).isTrue();
        assertThat(ours.at("/maxValues/x").isMissingNode()).isTrue();
        assertThat(ours.at("/nullCount/x").asLong()).isZero();
        assertThat(ours.at("/numRecords").asLong()).isEqualTo(2);
    }

    @Test
    void aNullInARequiredColumnIsRefusedNamingTheFileAndLeavesNoFile() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"a", null, null, null, null, null, null, null, null, null});
        rows.add(new Object[] {null, null, null, null, null, null, null, null, null, null});
        try (Lake lake = Lake.local(dir)) {
            LakeTable table = lake.table(TablePath.refinedStream("t"));
            table.ensureExists(SCHEMA);
            assertThatThrownBy(() -> table.append(RowBatch.of(SCHEMA, rows), new TransactionMark("app", 1)))
                    .hasMessageContaining("column id is not nullable").hasMessageContaining(".parquet");
            assertThat(table.latestVersion()).isZero();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet") || p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    /** Appends the rows as one commit and returns its add action. */
    private JsonNode writeAndReadAdd(List<Object[]> rows) throws Exception {
        try (Lake lake = Lake.local(dir)) {
            LakeTable table = lake.table(TablePath.refinedStream("t"));
            table.ensureExists(SCHEMA);
            assertThat(table.append(RowBatch.of(SCHEMA, rows), new TransactionMark("app", 1)).committed()).isTrue();
            Path commit = dir.resolve(table.path().substring(table.path().indexOf(dir.getFileName().toString())
                    + dir.getFileName().toString().length() + 1)).resolve("_delta_log/00000000000000000001.json");
            try (Stream<String> lines = Files.lines(commit)) {
                return lines.map(DataFilesCarryKernelsStatisticsTest::tree).filter(n -> n.has("add")).findFirst()
                        .orElseThrow().get("add");
            }
        }
    }

    private JsonNode kernelsStatistics(JsonNode add) throws Exception {
        LocalFileIO io = new LocalFileIO(Lake.PARQUET_CONF);
        StructType struct = KernelSchemas.structType(SCHEMA);
        Path file = Files.walk(dir).filter(p -> p.toString().endsWith(add.get("path").asText())).findFirst().orElseThrow();
        List<io.delta.kernel.expressions.Column> columns = struct.fieldNames().stream()
                .map(io.delta.kernel.expressions.Column::new).toList();
        DataFileStatistics stats = ParquetStatsReader.readDataFileStatistics(
                io.newInputFile(file.toString(), Files.size(file)), struct, columns);
        return JSON.readTree(stats.serializeAsJson(struct));
    }

    private static JsonNode tree(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Object[] row) {
        return String.join("|", Arrays.stream(row).map(v -> v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v))
                .toList());
    }
}
