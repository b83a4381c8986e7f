package io.hybridlake.lake;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.util.ColumnMapping;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adds columns to a Delta table. Kernel changes a schema only on tables with column mapping, so the
 * first evolution of a table switches it to mapping mode {@code name} (existing columns keep their
 * names as physical names, so no data file changes), and every added column is given its own name as
 * physical name. Hybridlake's data files therefore always carry the column names: its Parquet writer,
 * delta-spark and plain Parquet readers (DuckDB) read them alike, and old files simply lack the new
 * columns, which readers fill with null.
 */
final class SchemaEvolution {
    private static final int ATTEMPTS = 5;

    private final LakeTable table;

    SchemaEvolution(LakeTable table) {
        this.table = table;
    }

    boolean evolve(TableSchema target) {
        for (int attempt = 1; ; attempt++) {
            Snapshot snapshot = table.latest().orElseThrow(() -> new LakeException(table.name(),
                    "cannot evolve table " + table.name() + ": it does not exist"));
            List<Column> added = addedColumns(snapshot, target);
            if (added.isEmpty()) {
                return false;
            }
            try {
                if (!columnMapped(snapshot)) {
                    commit(snapshot, Map.of(ColumnMapping.COLUMN_MAPPING_MODE_KEY, "name"), null);
                    continue; // the schema now carries ids and physical names
                }
                commit(snapshot, Map.of(), evolvedSchema(snapshot, target));
                return true;
            } catch (ConcurrentWriteException e) {
                if (attempt == ATTEMPTS) {
                    throw new LakeException(table.name(), "cannot evolve table " + table.name() + ": " + ATTEMPTS
                            + " concurrent commits in a row", e);
                }
            } finally {
                table.forgetCachedSnapshot();
            }
        }
    }

    /** The columns of {@code target} the table lacks; throws if the table has anything {@code target} contradicts. */
    private List<Column> addedColumns(Snapshot snapshot, TableSchema target) {
        TableSchema current = KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(),
                table.name());
        if (!current.partitionColumns().equals(target.partitionColumns())) {
            throw incompatible("it is partitioned by " + current.partitionColumns() + ", the pipeline asks for "
                    + target.partitionColumns() + " (re-partitioning needs a new table)");
        }
        for (Column c : current.columns()) {
            int i = target.indexOf(c.name());
            if (i < 0) {
                if (c.nullable()) {
                    continue; // another writer's column: kept (written as null by us)
                }
                throw incompatible("required column '" + c.name() + "' is not in the new schema (dropping columns is "
                        + "not supported)");
            }
            Column t = target.column(i);
            if (t.type() != c.type()) {
                throw incompatible("column '" + c.name() + "' is " + c.type() + " in the table and " + t.type()
                        + " in the new schema (changing a type is not supported)");
            }
            if (c.nullable() && !t.nullable()) {
                throw incompatible("column '" + c.name() + "' is nullable in the table and required in the new schema");
            }
        }
        List<Column> added = new ArrayList<>();
        for (Column t : target.columns()) {
            if (current.indexOf(t.name()) < 0) {
                if (!t.nullable()) {
                    throw incompatible("new column '" + t.name() + "' is required; an added column must be optional, "
                            + "as the table's existing rows have no value for it");
                }
                added.add(t);
            }
        }
        return added;
    }

    private LakeException incompatible(String why) {
        return new LakeException(table.name(), "incompatible schema change for table " + table.name() + ": " + why);
    }

    /**
     * The target's columns in its order, existing ones with their mapping metadata, new ones named as they
     * are; then the table's columns the target lacks (another writer's), so nothing the table has is dropped.
     */
    private StructType evolvedSchema(Snapshot snapshot, TableSchema target) {
        StructType current = snapshot.getSchema();
        long maxId = Long.parseLong(configuration(snapshot).getOrDefault(ColumnMapping.COLUMN_MAPPING_MAX_COLUMN_ID_KEY, "0"));
        StructType out = new StructType();
        for (Column c : target.columns()) {
            int i = current.indexOf(c.name());
            if (i >= 0) {
                out = out.add(current.at(i));
            } else {
                FieldMetadata mapping = FieldMetadata.builder()
                        .putLong(ColumnMapping.COLUMN_MAPPING_ID_KEY, ++maxId)
                        .putString(ColumnMapping.COLUMN_MAPPING_PHYSICAL_NAME_KEY, c.name())
                        .build();
                out = out.add(new StructField(c.name(), KernelSchemas.dataType(c.type()), true, mapping));
            }
        }
        for (StructField existing : current.fields()) {
            if (target.indexOf(existing.getName()) < 0) {
                out = out.add(existing);
            }
        }
        return out;
    }

    private void commit(Snapshot snapshot, Map<String, String> properties, StructType schema) {
        var builder = snapshot.buildUpdateTableTransaction(LakeTable.ENGINE_INFO, Operation.MANUAL_UPDATE).withMaxRetries(0);
        if (!properties.isEmpty()) {
            builder = builder.withTablePropertiesAdded(properties);
        }
        if (schema != null) {
            builder = builder.withUpdatedSchema(schema);
        }
        var result = builder.build(table.engine()).commit(table.engine(), CloseableIterable.emptyIterable());
        table.runHooks(result);
    }

    static boolean columnMapped(Snapshot snapshot) {
        return ColumnMapping.getColumnMappingMode(configuration(snapshot)) != ColumnMapping.ColumnMappingMode.NONE;
    }

    private static Map<String, String> configuration(Snapshot snapshot) {
        return ((SnapshotImpl) snapshot).getMetadata().getConfiguration();
    }

    /**
     * Whether two schemas have the same columns (names, types, nullability) in the same order, ignoring
     * column-mapping metadata. Refuses tables whose physical names differ from their column names
     * (column mapping set up by another engine), which Hybridlake's writer cannot produce.
     */
    static boolean sameColumns(String tableName, StructType table, StructType rows) {
        if (table.length() != rows.length()) {
            return false;
        }
        for (int i = 0; i < table.length(); i++) {
            StructField t = table.at(i);
            StructField r = rows.at(i);
            Object physical = t.getMetadata().get(ColumnMapping.COLUMN_MAPPING_PHYSICAL_NAME_KEY);
            if (physical != null && !Objects.equals(physical, t.getName())) {
                throw new LakeException(tableName, "column '" + t.getName() + "' of table " + tableName + " is stored as '"
                        + physical
                        + "' (column mapping by another engine); Hybridlake writes only tables that store columns "
                        + "under their own names");
            }
            if (!t.getName().equals(r.getName()) || !t.getDataType().equals(r.getDataType())
                    || t.isNullable() != r.isNullable()) {
                return false;
            }
        }
        return true;
    }
}
