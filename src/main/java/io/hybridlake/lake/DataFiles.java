package io.hybridlake.lake;

import io.delta.kernel.Transaction;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.data.TransactionStateRow;
import io.delta.kernel.internal.util.ColumnMapping;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Writes a {@link RowBatch} as a transaction's Parquet data files and returns their add actions. */
final class DataFiles {
    private DataFiles() {
    }

    /** The add actions of a write, and the file each partition's rows went to (partition values → log path). */
    record Written(List<Row> actions, Map<List<Object>, String> fileOfPartition) {
    }

    /** Writers of partition files, one per core; callers are never pool threads, so waiting cannot deadlock. */
    private static final ExecutorService WRITERS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "lake-parquet-writer");
                t.setDaemon(true);
                return t;
            });

    /**
     * Writes one Parquet file per partition (see {@link LakeEngine}), selecting its rows with a selection
     * vector; several partitions are written in parallel (a MERGE rewrites many).
     */
    static Written write(Engine engine, String name, Transaction txn, RowBatch rows, StructType struct) {
        Row state = txn.getTransactionState(engine);
        ColumnarBatch batch = KernelSchemas.columnarBatch(rows, struct);
        Map<List<Object>, boolean[]> partitions = partitions(rows);
        List<Map.Entry<List<Object>, Future<List<Row>>>> pending = new ArrayList<>();
        for (Map.Entry<List<Object>, boolean[]> partition : partitions.entrySet()) {
            Callable<List<Row>> task = () -> writePartition(engine, name, state, batch, rows, partition);
            if (partitions.size() == 1) {
                pending.add(Map.entry(partition.getKey(), CompletableFuture.completedFuture(call(task, name))));
            } else {
                pending.add(Map.entry(partition.getKey(), WRITERS.submit(task)));
            }
        }
        List<Row> actions = new ArrayList<>();
        Map<List<Object>, String> files = new HashMap<>();
        for (Map.Entry<List<Object>, Future<List<Row>>> p : pending) {
            for (Row action : join(p.getValue(), name)) {
                actions.add(action);
                Row add = action.getStruct(action.getSchema().indexOf("add"));
                files.put(p.getKey(), add.getString(add.getSchema().indexOf("path")));
            }
        }
        return new Written(actions, files);
    }

    private static List<Row> writePartition(Engine engine, String name, Row state, ColumnarBatch batch, RowBatch rows,
            Map.Entry<List<Object>, boolean[]> partition) throws IOException {
        Map<String, Literal> values = partitionLiterals(rows.schema(), partition.getKey());
        Optional<ColumnVector> selection = partition.getValue() == null ? Optional.empty()
                : Optional.of(new BooleanArrayVector(partition.getValue(), rows.size()));
        CloseableIterator<FilteredColumnarBatch> physical;
        if (TransactionStateRow.getColumnMappingMode(state) == ColumnMapping.ColumnMappingMode.NONE) {
            var logical = KernelIterators.of(List.of(new FilteredColumnarBatch(batch, selection)));
            physical = Transaction.transformLogicalData(engine, state, logical, values);
        } else {
            // Kernel refuses to transform column-mapped data. Hybridlake's physical names are the column
            // names (SchemaEvolution), so the physical data is the logical data without partition columns.
            physical = KernelIterators.of(List.of(new FilteredColumnarBatch(withoutPartitionColumns(batch, rows.schema()),
                    selection)));
        }
        var context = Transaction.getWriteContext(engine, state, values);
        CloseableIterator<DataFileStatus> written = engine.getParquetHandler()
                .writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns());
        List<Row> actions = new ArrayList<>();
        try (CloseableIterator<Row> append = Transaction.generateAppendActions(engine, state, written, context)) {
            append.forEachRemaining(actions::add);
        }
        return actions;
    }

    private static ColumnarBatch withoutPartitionColumns(ColumnarBatch batch, TableSchema schema) {
        ColumnarBatch out = batch;
        for (int i = schema.size() - 1; i >= 0; i--) {
            if (schema.partitionColumns().contains(schema.column(i).name())) {
                out = out.withDeletedColumnAt(i);
            }
        }
        return out;
    }

    private static List<Row> call(Callable<List<Row>> task, String name) {
        try {
            return task.call();
        } catch (IOException e) {
            throw new LakeException(name, "writing data files of table " + name + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Row> join(Future<List<Row>> f, String name) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LakeException(name, "interrupted while writing data files of table " + name, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new LakeException(name, "writing data files of table " + name + " failed: " + cause.getMessage(), cause);
        }
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
