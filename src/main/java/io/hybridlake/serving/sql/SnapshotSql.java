package io.hybridlake.serving.sql;

import io.hybridlake.lake.Column;
import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.SnapshotFiles;
import io.hybridlake.lake.TableSchema;
import java.nio.file.Path;
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
        if (hiveLaidOut(snapshot)) {
            return oneScan(snapshot, present);
        }
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

    /**
     * One {@code read_parquet} over every file (one scan operator: DuckDB plans and parallelizes it far
     * better than a union of per-partition scans), partition values read from the file paths — used
     * only when every path spells its logged partition values exactly (no escaping, no nulls).
     */
    private static String oneScan(SnapshotFiles snapshot, Map<String, Set<String>> present) {
        TableSchema schema = snapshot.schema();
        Set<String> anywhere = new HashSet<>();
        if (present != null) {
            present.values().forEach(anywhere::addAll);
        }
        List<String> columns = new ArrayList<>();
        for (Column col : schema.columns()) {
            boolean missingEverywhere = present != null && !schema.partitionColumns().contains(col.name())
                    && !anywhere.contains(col.name());
            columns.add(missingEverywhere ? "CAST(NULL AS " + duckType(col.type()) + ") AS " + DuckDb.identifier(col.name())
                    : DuckDb.identifier(col.name()));
        }
        StringBuilder options = new StringBuilder();
        if (!schema.partitionColumns().isEmpty()) {
            options.append(", hive_partitioning = true, hive_types = {");
            for (int i = 0; i < schema.partitionColumns().size(); i++) {
                String name = schema.partitionColumns().get(i);
                options.append(i == 0 ? "" : ", ").append(DuckDb.literal(name)).append(": ")
                        .append(DuckDb.literal(duckType(schema.column(schema.indexOf(name)).type())));
            }
            options.append('}');
        } else {
            options.append(", hive_partitioning = false");
        }
        if (present != null) {
            options.append(", union_by_name = true");
        }
        return "SELECT " + String.join(", ", columns) + " FROM read_parquet(" + fileList(snapshot.files()) + options + ")";
    }

    /** Whether each file's path ends in exactly {@code col=value/} directories for its logged partition values. */
    private static boolean hiveLaidOut(SnapshotFiles snapshot) {
        List<String> partitions = snapshot.schema().partitionColumns();
        for (SnapshotFiles.File f : snapshot.files()) {
            Path dir = f.path().getParent();
            for (int i = partitions.size() - 1; i >= 0; i--) {
                String value = f.partitionValues().get(partitions.get(i));
                if (dir == null || value == null || value.isEmpty()
                        || !dir.getFileName().toString().equals(partitions.get(i) + "=" + value)) {
                    return false;
                }
                dir = dir.getParent();
            }
            if (dir == null || dir.toString().contains("=")) {
                return false; // another key=value directory above would become a column
            }
        }
        return true;
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
