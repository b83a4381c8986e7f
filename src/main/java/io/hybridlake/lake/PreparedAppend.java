package io.hybridlake.lake;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.utils.CloseableIterable;
import java.util.List;
import java.util.Map;

/**
 * Data files written for an append, not yet committed: lets a caller write one table's files while
 * it does other work, and commit them at the point its protocol requires (e.g. raw last).
 */
public final class PreparedAppend {
    private final LakeTable table;
    private final TableSchema schema;
    private final Map<String, Long> versions;
    private final LakeTable.RowsAfterAll rows;
    private final Map<String, String> domains;
    private final SnapshotCache.Entry entry;
    private final Map<String, Long> pending;
    private final Transaction txn;
    private final List<Row> actions;
    private final int rowCount;

    PreparedAppend(LakeTable table, TableSchema schema, Map<String, Long> versions, LakeTable.RowsAfterAll rows,
            Map<String, String> domains, SnapshotCache.Entry entry, Map<String, Long> pending, Transaction txn, List<Row> actions, int rowCount) {
        this.table = table;
        this.schema = schema;
        this.versions = versions;
        this.rows = rows;
        this.domains = domains;
        this.entry = entry;
        this.pending = pending;
        this.txn = txn;
        this.actions = actions;
        this.rowCount = rowCount;
    }

    /**
     * Commits the prepared files. If the table moved meanwhile (another writer), the prepared files are
     * abandoned and the append is redone from a fresh snapshot, exactly once as ever.
     */
    public CommitResult commit() {
        try {
            return tryCommit();
        } catch (LakeTable.ConcurrentCommitException e) {
            return table.appendExactlyOnce(schema, versions, rows, domains);
        }
    }

    /** One commit attempt; a concurrent winner surfaces as ConcurrentCommitException, cache entry dropped. */
    CommitResult tryCommit() {
        if (txn == null) {
            return CommitResult.nothingToWrite(table.name());
        }
        SnapshotCache cache = table.lake().snapshots();
        try {
            var result = txn.commit(table.engine(), CloseableIterable.inMemoryIterable(LakeTable.iterator(actions)));
            table.runHooks(result);
            Snapshot after = result.getPostCommitSnapshot().orElse(null);
            if (after != null) {
                cache.advance(table.path(), entry, after, pending, domains);
            } else {
                cache.invalidate(table.path());
            }
            return new CommitResult(table.name(), result.getVersion(), rowCount, true);
        } catch (ConcurrentWriteException | MaxCommitRetryLimitReachedException e) { // includes a same-app-id winner
            cache.invalidate(table.path());
            throw new LakeTable.ConcurrentCommitException(table.name(), e);
        } catch (RuntimeException e) {
            cache.invalidate(table.path());
            throw new LakeException(table.name(), "commit to table " + table.name() + " failed: " + e.getMessage(), e);
        }
    }
}
