package io.hybridlake.serving.sql;

import io.hybridlake.lake.Column;
import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.SnapshotFiles;
import io.hybridlake.lake.TableSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SQL that reads exactly one Delta table version in DuckDB: {@code read_parquet} over the
 * snapshot's file list (never a directory glob, which would see uncommitted and removed files),
 * partition values put back from the log as typed constants, and — for a table whose schema grew —
 * the columns an older file lacks read as typed nulls.
 */
public final class SnapshotSql {
    private SnapshotSql() {
    }

    /** A quoted SQL identifier. */
    public static String identifier(String name) {
        return DuckDb.identifier(name);
    }

    static String duckType(ColumnType type) {
        return switch (type) {
            case STRING -> "VARCHAR";
            case INT -> "INTEGER";
            case LONG -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case DATE -> "DATE";
            case BINARY -> "BLOB";
        };
    }

    /** A SELECT of every column of the snapshot, in schema order. */
    public static String select(Connection c, SnapshotFiles snapshot) throws SQLException {
        TableSchema schema = snapshot.schema();
        if (snapshot.files().isEmpty()) {
            return "SELECT " + schema.columns().stream().map(col -> "CAST(NULL AS " + duckType(col.type()) + ") AS "
                    + DuckDb.identifier(col.name())).collect(Collectors.joining(", ")) + " WHERE false";
        }
        Map<String, Set<String>> present = snapshot.columnsAdded() ? columnsPerFile(c, snapshot) : null;
        // one read_parquet per (partition values, columns present): constants differ between groups
        Map<List<Object>, List<SnapshotFiles.File>> groups = new LinkedHashMap<>();
        for (SnapshotFiles.File f : snapshot.files()) {
            List<Object> key = new ArrayList<>();
            key.add(f.partitionValues());
            key.add(present == null ? Set.of() : present.get(f.path().toString()));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<List<Object>, List<SnapshotFiles.File>> g : groups.entrySet()) {
            SnapshotFiles.File first = g.getValue().get(0);
            Set<String> has = present == null ? null : present.get(first.path().toString());
            List<String> columns = new ArrayList<>();
            for (Column col : schema.columns()) {
                String name = DuckDb.identifier(col.name());
                if (schema.partitionColumns().contains(col.name())) {
                    String v = first.partitionValues().get(col.name());
                    columns.add("CAST(" + (v == null ? "NULL" : DuckDb.literal(v)) + " AS " + duckType(col.type()) + ") AS "
                            + name);
                } else if (has != null && !has.contains(col.name())) {
                    columns.add("CAST(NULL AS " + duckType(col.type()) + ") AS " + name);
                } else {
                    columns.add(name);
                }
            }
            parts.add("SELECT " + String.join(", ", columns) + " FROM read_parquet(" + fileList(g.getValue()) + ")");
        }
        return String.join("\nUNION ALL ", parts);
    }

    private static String fileList(List<SnapshotFiles.File> files) {
        return files.stream().map(f -> DuckDb.literal(f.path().toString())).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Which columns each file has (from the Parquet footers): a table that gained columns has older files without them. */
    private static Map<String, Set<String>> columnsPerFile(Connection c, SnapshotFiles snapshot) throws SQLException {
        Map<String, Set<String>> out = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT file_name, name FROM parquet_schema(" + fileList(snapshot.files()) + ")")) {
            while (r.next()) {
                out.computeIfAbsent(r.getString(1), k -> new HashSet<>()).add(r.getString(2));
            }
        }
        return out;
    }
}
