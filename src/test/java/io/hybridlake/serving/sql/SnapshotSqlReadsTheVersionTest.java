package io.hybridlake.serving.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Column;
import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.RowBatch;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.lake.TransactionMark;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB reads exactly the rows of a table version as delta-kernel does, whether partition values
 * can be read from the paths (one scan) or must come from the log (null and escaped values).
 */
class SnapshotSqlReadsTheVersionTest {
    static final TableSchema SCHEMA = new TableSchema(List.of(Column.required("id", ColumnType.LONG),
            Column.optional("region", ColumnType.STRING), Column.optional("v", ColumnType.DOUBLE)), List.of("region"));

    @TempDir
    Path dir;

    private static RowBatch rows(long from, String... regions) {
        RowBatch b = new RowBatch(SCHEMA, regions.length);
        for (int i = 0; i < regions.length; i++) {
            b.setLong(0, from + i);
            b.setObject(1, regions[i]);
            b.setDouble(2, (from + i) * 0.5);
            b.endRow();
        }
        return b;
    }

    private static List<String> viaDuckDb(DuckDb duckDb, LakeTable table, long version) throws Exception {
        try (DuckDb.Session session = duckDb.open("test"); Statement s = session.connection().createStatement();
                ResultSet r = s.executeQuery("SELECT id, region, v FROM (" + SnapshotSql.select(session.connection(),
                        new TableFiles(table).snapshotFiles(OptionalLong.of(version))) + ") ORDER BY id")) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.getLong(1) + "|" + r.getString(2) + "|" + r.getDouble(3));
            }
            return out;
        }
    }

    private static List<String> viaKernel(TableReader reader, long version) {
        List<String> out = new ArrayList<>();
        reader.forEachRow(OptionalLong.of(version), r -> out.add(r[0] + "|" + r[1] + "|" + r[2]));
        out.sort((a, b) -> Long.compare(Long.parseLong(a.split("\\|")[0]), Long.parseLong(b.split("\\|")[0])));
        return out;
    }

    @Test
    void pathPartitionedAndLogPartitionedVersionsReadAlike() throws Exception {
        try (Lake lake = Lake.local(dir.resolve("lake"))) {
            LakeTable table = lake.table(TablePath.refinedStream("t"));
            table.append(rows(0, "eu", "us", "eu"), new TransactionMark("a", 0));
            long plain = table.latestVersion();
            table.append(rows(3, null, "ap:south", "eu"), new TransactionMark("a", 1));
            long awkward = table.latestVersion();
            DuckDb duckDb = new DuckDb(dir.resolve("lake").toString(), new DuckDb.Limits(100, Duration.ofSeconds(30), "256MB", 1));
            TableReader reader = new TableReader(table);
            assertThat(viaDuckDb(duckDb, table, plain)).hasSize(3).isEqualTo(viaKernel(reader, plain));
            assertThat(viaDuckDb(duckDb, table, awkward)).hasSize(6).isEqualTo(viaKernel(reader, awkward))
                    .contains("3|null|1.5", "4|ap:south|2.0");
        }
    }
}
