package io.hybridlake.lake;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.utils.CloseableIterable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Data files written for an append, not yet committed: lets a caller write one table's files while
 * it does other work, and commit them at the point its protocol requires (e.g. raw last).
 */
public final class PreparedAppend {
    private static final System.Logger LOG = System.getLogger(PreparedAppend.class.getName());
    private final LakeTable table;
    private final TableSchema schema;
    private final Map<String, Long> versions;
    private final TableAppends.RowsAfterAll rows;
    private final Map<String, String> domains;
    private final SnapshotCache.Entry entry;
    private final Map<String, Long> pending;
    private final Transaction txn;
    private final List<Row> actions;
    private final int rowCount;

    PreparedAppend(LakeTable table, TableSchema schema, Map<String, Long> versions, TableAppends.RowsAfterAll rows,
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
        } catch (ConcurrentCommitException e) {
            return new TableAppends(table).appendExactlyOnce(schema, versions, rows, domains);
        }
    }

    /**
     * The post-commit snapshot, carrying the table's checksum state (CRC: file count, size, domain
     * metadata). Kernel derives each commit's CRC from its read snapshot's; a snapshot loaded without
     * one (its version's .crc not yet written, or written by an engine that writes none) would leave
     * every later commit without one, and then each commit replays the log since the snapshot was
     * loaded to find the domain metadata (Kernel asks for clustering columns): reads that grow with the
     * table's history, measured at ~2,000 per stream poll after 1,000 commits on Azurite. So a missing
     * CRC is computed once (full checksum: checkpoint + commits since), written, and the snapshot
     * reloaded with it; from then on each commit's CRC follows in memory. If that fails the commit
     * stands (it is durable) and the next commit tries again.
     */
    private Snapshot withChecksum(TransactionCommitResult result, Snapshot after) {
        if (((SnapshotImpl) after).getCurrentCrcInfo().isPresent()) {
            return after;
        }
        try {
            for (PostCommitHook hook : result.getPostCommitHooks()) {
                if (hook.getType() == PostCommitHook.PostCommitHookType.CHECKSUM_FULL) {
                    hook.threadSafeInvoke(table.engine());
                }
            }
            return table.snapshot(result.getVersion());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "table " + table.name() + ": cannot write the checksum of version "
                    + result.getVersion() + " (the next commit tries again; until then commits re-read the log)", e);
            return after;
        }
    }

    /** One commit attempt; a concurrent winner surfaces as ConcurrentCommitException, cache entry dropped. */
    CommitResult tryCommit() {
        if (txn == null) {
            return CommitResult.nothingToWrite(table.name());
        }
        SnapshotCache cache = table.lake().snapshots();
        try {
            var result = txn.commit(table.engine(), CloseableIterable.inMemoryIterable(KernelIterators.of(actions)));
            table.runHooks(result);
            Snapshot after = result.getPostCommitSnapshot().map(s -> withChecksum(result, s)).orElse(null);
            if (after != null) {
                cache.advance(table.path(), entry, after, pending, domains);
            } else {
                cache.invalidate(table.path());
            }
            return new CommitResult(table.name(), result.getVersion(), rowCount, true);
        } catch (ConcurrentWriteException | MaxCommitRetryLimitReachedException e) { // includes a same-app-id winner
            cache.invalidate(table.path());
            throw new ConcurrentCommitException(table.name(), e);
        } catch (RuntimeException e) {
            cache.invalidate(table.path());
            throw new LakeException(table.name(), "commit to table " + table.name() + " failed: " + e.getMessage(), e);
        }
    }
}
