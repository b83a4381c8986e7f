package io.hybridlake.lake;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One Delta table: create, append exactly once, describe. Reads are in {@link TableReader}. */
public final class LakeTable {
    static final String ENGINE_INFO = "Hybridlake/0.1";

    private final Lake lake;
    private final String name;
    private final String path;

    LakeTable(Lake lake, String name, String path) {
        this.lake = lake;
        this.name = name;
        this.path = path;
    }

    public String name() {
        return name;
    }

    public String path() {
        return path;
    }

    Engine engine() {
        return lake.engine();
    }

    Optional<Snapshot> latest() {
        try {
            return Optional.of(TableManager.loadSnapshot(path).build(engine()));
        } catch (TableNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new LakeException(name, "cannot load the latest snapshot of table " + name + " at " + path
                    + ": " + e.getMessage(), e);
        }
    }

    Snapshot snapshot(long version) {
        try {
            return TableManager.loadSnapshot(path).atVersion(version).build(engine());
        } catch (TableNotFoundException e) {
            throw new io.hybridlake.HybridlakeException.NotFound(name, "table " + name + " does not exist");
        } catch (RuntimeException e) {
            throw new LakeException(name, "cannot load version " + version + " of table " + name + ": "
                    + e.getMessage(), e);
        }
    }

    public boolean exists() {
        return latest().isPresent();
    }

    public Optional<TableSchema> schema() {
        return latest().map(s -> KernelSchemas.tableSchema(s.getSchema(), s.getPartitionColumnNames(), name));
    }

    /** The last version committed under {@code appId}, or -1 if none (or no table yet). */
    public long lastTransactionVersion(String appId) {
        return latest().flatMap(s -> s.getLatestTransactionVersion(engine(), appId)).orElse(-1L);
    }

    /** Creates the table with this schema unless it exists; a concurrent creator winning is fine. */
    public void ensureExists(TableSchema schema) {
        if (exists()) {
            return;
        }
        List<Column> partitions = schema.partitionColumns().stream().map(Column::new).toList();
        try {
            Transaction create = TableManager.buildCreateTableTransaction(path, KernelSchemas.structType(schema), ENGINE_INFO)
                    .withDataLayoutSpec(partitions.isEmpty() ? DataLayoutSpec.noDataLayout()
                            : DataLayoutSpec.partitioned(partitions))
                    .build(engine());
            create.commit(engine(), CloseableIterable.emptyIterable());
        } catch (TableAlreadyExistsException e) {
            // another writer created it first
        } catch (io.delta.kernel.exceptions.ConcurrentWriteException e) {
            // lost the race to write version 0; the table exists now
        } catch (RuntimeException e) {
            if (!exists()) {
                throw new LakeException(name, "cannot create table " + name + " at " + path + ": " + e.getMessage(), e);
            }
        }
    }

    /** Builds the rows still to write given the table's last committed version for the app id (-1 if none). */
    @FunctionalInterface
    public interface RowsAfter {
        RowBatch rowsAfter(long committedVersion);
    }

    /**
     * The exactly-once append: reads the last version committed under {@code appId}; if it is below
     * {@code version}, commits the rows {@code rows} builds for it together with the new mark. A
     * concurrent writer committing the same app id first makes this re-read and retry, so each row is
     * written once. Returns a result with {@code committed=false} when nothing was new.
     */
    public CommitResult appendExactlyOnce(TableSchema schema, String appId, long version, RowsAfter rows) {
        for (int attempt = 1; ; attempt++) {
            Snapshot snapshot = latestCreatingIfAbsent(schema);
            long committed = snapshot.getLatestTransactionVersion(engine(), appId).orElse(-1L);
            if (committed >= version) {
                return CommitResult.nothingToWrite(name);
            }
            RowBatch batch = rows.rowsAfter(committed);
            if (batch.isEmpty()) {
                return CommitResult.nothingToWrite(name);
            }
            if (!batch.schema().equals(schema)) {
                throw new IllegalArgumentException("rows for " + name + " do not have the table's schema");
            }
            try {
                return append(snapshot, batch, new TransactionMark(appId, version));
            } catch (AlreadyCommittedException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    private Snapshot latestCreatingIfAbsent(TableSchema schema) {
        Optional<Snapshot> snapshot = latest();
        if (snapshot.isPresent()) {
            return snapshot.get();
        }
        ensureExists(schema);
        return latest().orElseThrow(() -> new LakeException(name, "table " + name + " vanished after creation"));
    }

    /**
     * Appends the rows in one commit that also records {@code mark}. Throws
     * {@link AlreadyCommittedException} if another writer committed the same app id meanwhile.
     */
    public CommitResult append(RowBatch rows, TransactionMark mark) {
        if (rows.isEmpty() && mark == null) {
            return CommitResult.nothingToWrite(name);
        }
        return append(latestCreatingIfAbsent(rows.schema()), rows, mark);
    }

    private CommitResult append(Snapshot snapshot, RowBatch rows, TransactionMark mark) {
        StructType struct = KernelSchemas.structType(rows.schema());
        requireSameSchema(snapshot, struct);
        var builder = snapshot.buildUpdateTableTransaction(ENGINE_INFO, Operation.STREAMING_UPDATE);
        if (mark != null) {
            builder = builder.withTransactionId(mark.appId(), mark.version());
        }
        try {
            Transaction txn = builder.build(engine());
            List<Row> actions = rows.isEmpty() ? List.of() : writeFiles(txn, rows, struct);
            var result = txn.commit(engine(), CloseableIterable.inMemoryIterable(iterator(actions)));
            for (PostCommitHook hook : result.getPostCommitHooks()) {
                lake.runPostCommit(name, () -> invoke(hook));
            }
            return new CommitResult(name, result.getVersion(), rows.size(), true);
        } catch (ConcurrentTransactionException e) {
            throw new AlreadyCommittedException(name, mark == null ? "?" : mark.appId(), e);
        } catch (LakeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LakeException(name, "commit to table " + name + " failed: " + e.getMessage(), e);
        }
    }

    private void invoke(PostCommitHook hook) {
        try {
            hook.threadSafeInvoke(engine());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requireSameSchema(Snapshot snapshot, StructType struct) {
        if (!snapshot.getSchema().equals(struct)) {
            throw new LakeException(name, "table " + name + " has schema " + snapshot.getSchema().fields().stream()
                    .map(f -> f.getName() + " " + f.getDataType()).toList() + " but the rows have "
                    + struct.fields().stream().map(f -> f.getName() + " " + f.getDataType()).toList()
                    + "; schema evolution is not enabled for this table");
        }
    }

    /** Writes one set of Parquet files per partition, selecting its rows with a selection vector. */
    private List<Row> writeFiles(Transaction txn, RowBatch rows, StructType struct) {
        Engine engine = engine();
        Row state = txn.getTransactionState(engine);
        ColumnarBatch batch = KernelSchemas.columnarBatch(rows, struct);
        List<Row> actions = new ArrayList<>();
        for (Map.Entry<List<Object>, boolean[]> partition : partitions(rows).entrySet()) {
            Map<String, Literal> values = partitionLiterals(rows.schema(), partition.getKey());
            Optional<io.delta.kernel.data.ColumnVector> selection = partition.getValue() == null ? Optional.empty()
                    : Optional.of(new BooleanArrayVector(partition.getValue(), rows.size()));
            try {
                var logical = singleton(new FilteredColumnarBatch(batch, selection));
                var physical = Transaction.transformLogicalData(engine, state, logical, values);
                var context = Transaction.getWriteContext(engine, state, values);
                CloseableIterator<DataFileStatus> files = engine.getParquetHandler()
                        .writeParquetFiles(context.getTargetDirectory(), physical, context.getStatisticsColumns());
                try (CloseableIterator<Row> append = Transaction.generateAppendActions(engine, state, files, context)) {
                    append.forEachRemaining(actions::add);
                }
            } catch (IOException e) {
                throw new LakeException(name, "writing data files of table " + name + " failed: " + e.getMessage(), e);
            }
        }
        return actions;
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

    static <T> CloseableIterator<T> iterator(List<T> items) {
        var it = items.iterator();
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }

    private static <T> CloseableIterator<T> singleton(T item) {
        return iterator(List.of(item));
    }
}
