package io.hybridlake.lake;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.internal.actions.SetTransaction;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Appends to a table, exactly once per source: each commit carries the sources' transaction marks
 * ({@code txn} actions), so a batch re-delivered after a crash or by another instance writes nothing.
 */
public final class TableAppends {
    private final LakeTable table;

    public TableAppends(LakeTable table) {
        this.table = table;
    }

    /** Builds the rows still to write given the table's last committed version for the app id (-1 if none). */
    @FunctionalInterface
    public interface RowsAfter {
        RowBatch rowsAfter(long committedVersion);
    }

    /** Builds the rows still to write given each app id's last committed version in the table (-1 if none). */
    @FunctionalInterface
    public interface RowsAfterAll {
        RowBatch rowsAfter(Map<String, Long> committedVersions);
    }

    /** {@link #appendExactlyOnce(TableSchema, Map, RowsAfterAll)} for a single source. */
    public CommitResult appendExactlyOnce(TableSchema schema, String appId, long version, RowsAfter rows) {
        return appendExactlyOnce(schema, Map.of(appId, version), committed -> rows.rowsAfter(committed.get(appId)));
    }

    /**
     * The exactly-once append for several sources at once (e.g. all partitions of one poll): for each
     * app id whose committed version is below its new version, the rows {@code rows} builds are
     * committed together with one Delta {@code txn} action per such app id, in one commit.
     *
     * <p>Kernel knows only one transaction id per commit, so its own conflict resolution could not
     * protect the others: the commit runs with Kernel's retries off, and any concurrent commit makes
     * this method reload the table, re-read every app id's version and rebuild the rows. Returns a
     * result with {@code committed=false} when nothing was new.
     */
    public CommitResult appendExactlyOnce(TableSchema schema, Map<String, Long> versions, RowsAfterAll rows) {
        return appendExactlyOnce(schema, versions, rows, Map.of());
    }

    /** As above, also setting these domain-metadata values in the same commit. */
    public CommitResult appendExactlyOnce(TableSchema schema, Map<String, Long> versions, RowsAfterAll rows,
            Map<String, String> domains) {
        for (int attempt = 1; ; attempt++) {
            try {
                return prepareAppend(schema, versions, rows, domains).tryCommit();
            } catch (ConcurrentCommitException e) {
                if (attempt >= 10) { // another writer got there first each time; the cache entry is dropped
                    throw e;
                }
            }
        }
    }

    /** Writes the data files of {@link #appendExactlyOnce(TableSchema, Map, RowsAfterAll)} without committing. */
    public PreparedAppend prepareAppend(TableSchema schema, Map<String, Long> versions, RowsAfterAll rows,
            Map<String, String> domains) {
        SnapshotCache.Entry entry = cachedSnapshot(schema);
        Progress progress = Progress.of(table, entry, versions);
        RowBatch batch = progress.pending().isEmpty() ? null : rows.rowsAfter(progress.committed());
        if (batch != null && !batch.isEmpty() && !batch.schema().equals(schema)) {
            throw new IllegalArgumentException("rows for " + table.name() + " do not have the table's schema");
        }
        return prepare(entry, schema, versions, rows, progress.pending(), batch, domains);
    }

    /**
     * Builds the transaction and writes the files of {@code batch} (nothing to commit when it is null or
     * empty). A transaction id that another writer already moved past surfaces as
     * {@link ConcurrentCommitException}, with the cache entry dropped.
     */
    private PreparedAppend prepare(SnapshotCache.Entry entry, TableSchema schema, Map<String, Long> versions,
            RowsAfterAll rows, Map<String, Long> marks, RowBatch batch, Map<String, String> domains) {
        if (batch == null || batch.isEmpty()) {
            return new PreparedAppend(table, schema, versions, rows, domains, entry, marks, null, List.of(), 0);
        }
        StructType struct = KernelSchemas.structType(batch.schema());
        if (!SchemaEvolution.sameColumns(table.name(), entry.snapshot.getSchema(), struct)) {
            batch = table.conformed(entry.snapshot, batch); // another writer changed the table: match columns by name
            struct = KernelSchemas.structType(batch.schema());
        }
        try {
            Transaction txn = transaction(entry.snapshot, marks);
            domains.forEach(txn::addDomainMetadata);
            List<Row> actions = new ArrayList<>(DataFiles.write(table.engine(), table.name(), txn, batch, struct).actions());
            actions.addAll(extraMarks(marks));
            return new PreparedAppend(table, schema, versions, rows, domains, entry, marks, txn, actions, batch.size());
        } catch (ConcurrentWriteException e) {
            table.lake().snapshots().invalidate(table.path());
            throw new ConcurrentCommitException(table.name(), e);
        } catch (RuntimeException e) {
            table.lake().snapshots().invalidate(table.path());
            throw e;
        }
    }

    /** Each app id's committed version at a snapshot, and those still below their new version. */
    private record Progress(Map<String, Long> committed, Map<String, Long> pending) {
        static Progress of(LakeTable table, SnapshotCache.Entry entry, Map<String, Long> versions) {
            Map<String, Long> committed = new HashMap<>();
            Map<String, Long> pending = new LinkedHashMap<>();
            for (Map.Entry<String, Long> v : versions.entrySet()) {
                long c = entry.txnVersion(table, v.getKey());
                committed.put(v.getKey(), c);
                if (c < v.getValue()) {
                    pending.put(v.getKey(), v.getValue());
                }
            }
            return new Progress(committed, pending);
        }
    }

    private SnapshotCache.Entry cachedSnapshot(TableSchema schema) {
        SnapshotCache.Entry entry = table.lake().snapshots().get(table.path());
        return entry != null ? entry : table.lake().snapshots().put(table.path(), table.latestCreatingIfAbsent(schema));
    }

    /**
     * Appends the rows in one commit that also records {@code mark}, without the exactly-once filtering.
     * Throws {@link AlreadyCommittedException} if the table already has {@code mark} or a later version.
     */
    public CommitResult append(RowBatch rows, TransactionMark mark) {
        if (rows.isEmpty() && mark == null) {
            return CommitResult.nothingToWrite(table.name());
        }
        Map<String, Long> marks = mark == null ? Map.of() : Map.of(mark.appId(), mark.version());
        SnapshotCache.Entry entry = table.lake().snapshots().put(table.path(), table.latestCreatingIfAbsent(rows.schema()));
        try {
            return prepare(entry, rows.schema(), marks, committed -> rows, marks, rows, Map.of()).tryCommit();
        } catch (ConcurrentCommitException e) {
            if (e.getCause() instanceof ConcurrentTransactionException) {
                throw new AlreadyCommittedException(table.name(), String.join(",", marks.keySet()), e.getCause());
            }
            throw e;
        }
    }

    /** A streaming-update transaction whose first mark is Kernel's transaction id; Kernel retries off. */
    private Transaction transaction(Snapshot snapshot, Map<String, Long> marks) {
        var builder = snapshot.buildUpdateTableTransaction(LakeTable.ENGINE_INFO, Operation.STREAMING_UPDATE).withMaxRetries(0);
        if (!marks.isEmpty()) {
            Map.Entry<String, Long> first = marks.entrySet().iterator().next();
            builder = builder.withTransactionId(first.getKey(), first.getValue());
        }
        return builder.build(table.engine());
    }

    /** {@code txn} actions for every mark but the first (which Kernel writes itself). */
    static List<Row> extraMarks(Map<String, Long> marks) {
        List<Row> all = allMarks(marks);
        return all.isEmpty() ? all : all.subList(1, all.size());
    }

    /** One {@code txn} action per mark. */
    static List<Row> allMarks(Map<String, Long> marks) {
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, Long> m : marks.entrySet()) {
            out.add(SingleAction.createTxnSingleAction(new SetTransaction(m.getKey(), m.getValue(),
                    Optional.of(System.currentTimeMillis())).toRow()));
        }
        return out;
    }
}
