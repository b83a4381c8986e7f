package io.hybridlake.lake;

import io.delta.kernel.Transaction;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Writes a {@link RowBatch} as a transaction's Parquet data files and returns their add actions. */
final class DataFiles {
    private DataFiles() {
    }

    /** The add actions of a write, and the file each partition's rows went to (partition values → log path). */
    record Written(List<Row> actions, Map<List<Object>, String> fileOfPartition) {
    }

    /** Writes one Parquet file per partition (see {@link LakeEngine}), selecting its rows with a selection vector. */
    static Written write(Engine engine, String name, Transaction txn, RowBatch rows, StructType struct) {
        Row state = txn.getTransactionState(engine);
        ColumnarBatch batch = KernelSchemas.columnarBatch(rows, struct);
        List<Row> actions = new ArrayList<>();
        Map<List<Object>, String> files = new HashMap<>();
        for (Map.Entry<List<Object>, boolean[]> partition : partitions(rows).entrySet()) {
            Map<String, Literal> values = partitionLiterals(rows.schema(), partition.getKey());
            Optional<io.delta.kernel.data.ColumnVector> selection = partition.getValue() == null ? Optional.empty()
                    : Optional.of(new BooleanArrayVector(partition.getValue(), rows.size()));
            try {
                var logical = LakeTable.iterator(List.of(new FilteredColumnarBatch(batch, selection)));
                var physical = Transaction.transformLogicalData(engine, state, logical, values);
                var context = Transaction.getWriteContext(engine, state, values);
                CloseableIterator<DataFileStatus> written = engine.getParquetHandler()
                        .writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns());
                try (CloseableIterator<Row> append = Transaction.generateAppendActions(engine, state, written, context)) {
                    append.forEachRemaining(action -> {
                        actions.add(action);
                        Row add = action.getStruct(action.getSchema().indexOf("add"));
                        files.put(partition.getKey(), add.getString(add.getSchema().indexOf("path")));
                    });
                }
            } catch (IOException e) {
                throw new LakeException(name, "writing data files of table " + name + " failed: " + e.getMessage(), e);
            }
        }
        return new Written(actions, files);
    }

    /** The partition values of row {@code r} (an empty list for an unpartitioned table). */
    static List<Object> partitionOf(TableSchema schema, Object[] row) {
        Object[] key = new Object[schema.partitionColumns().size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = row[schema.indexOf(schema.partitionColumns().get(i))];
        }
        return Arrays.asList(key);
    }

    /** Rows grouped by partition values; a null mask means "all rows" (unpartitioned or one partition). */
    private static Map<List<Object>, boolean[]> partitions(RowBatch rows) {
        TableSchema schema = rows.schema();
        Map<List<Object>, boolean[]> groups = new LinkedHashMap<>();
        if (schema.partitionColumns().isEmpty()) {
            groups.put(List.of(), null);
            return groups;
        }
        int[] idx = schema.partitionColumns().stream().mapToInt(schema::indexOf).toArray();
        for (int r = 0; r < rows.size(); r++) {
            Object[] key = new Object[idx.length];
            for (int i = 0; i < idx.length; i++) {
                key[i] = rows.get(idx[i], r);
            }
            groups.computeIfAbsent(Arrays.asList(key), k -> new boolean[rows.size()])[r] = true;
        }
        if (groups.size() == 1) {
            groups.replaceAll((k, v) -> null);
        }
        return groups;
    }

    private static Map<String, Literal> partitionLiterals(TableSchema schema, List<Object> values) {
        Map<String, Literal> out = new HashMap<>();
        for (int i = 0; i < schema.partitionColumns().size(); i++) {
            String col = schema.partitionColumns().get(i);
            out.put(col, KernelSchemas.literal(schema.column(schema.indexOf(col)).type(), values.get(i)));
        }
        return out;
    }

}
