package io.hybridlake.lake;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * A commit that replaces rows (MERGE, compaction, replay): removes whole files read at one version
 * (copy-on-write) or marks rows of them deleted in deletion vectors (merge-on-read), and adds the rows
 * that replace them, with transaction marks, in one commit. Delta Kernel has no public API for
 * remove actions; they are built with its internal {@code AddFile}/{@code SingleAction} classes
 * (pinned to 4.4.0, only here). Kernel does not detect read-write conflicts, so the commit runs with
 * its retries off: any commit since {@code readVersion} fails this one, and the caller redoes its
 * work on the new snapshot — a lost update is impossible.
 */
public final class Rewrite {
    private final LakeTable table;
    private final Snapshot snapshot;
    private final Transaction txn;
    private final StructType struct;
    /** The table's schema when it differs from the rows' (order, columns another writer added); else null. */
    private final TableSchema target;
    private final boolean dataChange;
    private final Map<String, Long> marks;
    private final boolean explicitMarks;
    private final List<Row> actions = new ArrayList<>();
    /** Rows of files read at {@code readVersion} that this commit marks deleted (merge-on-read), by log path. */
    private final Map<String, RoaringBitmap> deletions = new HashMap<>();
    static final String DELETION_VECTORS_PROPERTY = "delta.enableDeletionVectors";

    /**
     * {@code dataChange = false} (compaction: the same rows in fewer files) lets Kernel rebase the
     * commit over concurrent blind appends, which cannot conflict with it; a rewrite that changes data
     * never rebases.
     */
    Rewrite(LakeTable table, TableSchema schema, long readVersion, Map<String, Long> marks, boolean dataChange) {
        this(table, schema, readVersion, marks, dataChange, false, false);
    }

    /**
     * {@code explicitMarks}: every mark is written as a plain {@code txn} action, none through
     * Kernel's transaction id, whose check refuses a version not above the table's: for a rewind.
     */
    Rewrite(LakeTable table, TableSchema schema, long readVersion, Map<String, Long> marks, boolean dataChange,
            boolean explicitMarks, boolean deletionVectors) {
        this.table = table;
        this.snapshot = table.snapshot(readVersion);
        StructType rows = KernelSchemas.structType(schema);
        if (SchemaEvolution.sameColumns(table.name(), snapshot.getSchema(), rows)) {
            this.target = null;
            this.struct = rows;
        } else { // another writer changed the table: rows are matched to its columns by name
            this.target = SchemaMatch.target(table.name(), KernelSchemas.tableSchema(snapshot.getSchema(),
                    snapshot.getPartitionColumnNames(), table.name()), schema);
            this.struct = KernelSchemas.structType(target);
        }
        var builder = snapshot.buildUpdateTableTransaction(LakeTable.ENGINE_INFO,
                dataChange ? Operation.WRITE : Operation.MANUAL_UPDATE) // Kernel has no MERGE operation
                .withMaxRetries(dataChange ? 0 : 20);
        if (deletionVectors && !"true".equals(snapshot.getTableProperties().get(DELETION_VECTORS_PROPERTY))) {
            builder = builder.withTablePropertiesAdded(Map.of(DELETION_VECTORS_PROPERTY, "true"));
        }
        if (!marks.isEmpty() && !explicitMarks) {
            Map.Entry<String, Long> first = marks.entrySet().iterator().next();
            builder = builder.withTransactionId(first.getKey(), first.getValue());
        }
        this.txn = builder.build(table.engine());
        this.dataChange = dataChange;
        this.marks = marks;
        this.explicitMarks = explicitMarks;
    }

    /** Sets a domain-metadata value in this commit. */
    public void setDomain(String domain, String value) {
        txn.addDomainMetadata(domain, value);
    }

    /** Removes a domain-metadata value in this commit. */
    public void removeDomain(String domain) {
        txn.removeDomainMetadata(domain);
    }

    /**
     * Writes rows of the rewrite (nothing is visible until {@link #commit}); returns the file each
     * partition's rows went to. Call as often as needed, from several threads if wanted: a large
     * rewrite holds one batch per writer at a time.
     */
    public Map<List<Object>, String> write(RowBatch rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        DataFiles.Written written = DataFiles.write(table.engine(), table.name(), txn,
                target == null ? rows : rows.conformedTo(target), struct);
        synchronized (actions) { // batches may be written from several threads
            for (Row action : written.actions()) {
                actions.add(dataChange ? action : withoutDataChange(action, struct));
            }
        }
        return written.fileOfPartition();
    }

    /**
     * Marks a row of a file of the read version deleted, by its position in the file (merge-on-read:
     * the file stays, a deletion vector hides the row). Only for a rewrite begun with deletion vectors.
     */
    public void deleteRow(String path, int position) {
        synchronized (deletions) {
            deletions.computeIfAbsent(path, p -> new RoaringBitmap()).add(position);
        }
    }

    /** Files given new deleted rows so far. */
    public int filesWithNewDeletions() {
        synchronized (deletions) {
            return deletions.size();
        }
    }

    /** Commits the written files, removing {@code removePaths}; fails if anything committed since the read. */
    public long commit(Set<String> removePaths) {
        List<Row> all;
        synchronized (actions) {
            all = new ArrayList<>(actions);
        }
        all.addAll(removes(table, snapshot, removePaths, dataChange));
        synchronized (deletions) {
            all.addAll(DeletionVectorUpdates.actions(table, snapshot, deletions));
        }
        all.addAll(explicitMarks ? TableAppends.allMarks(marks) : TableAppends.extraMarks(marks));
        try {
            var result = txn.commit(table.engine(), CloseableIterable.inMemoryIterable(KernelIterators.of(all)));
            table.runHooks(result);
            return result.getVersion();
        } catch (ConcurrentWriteException | MaxCommitRetryLimitReachedException e) {
            throw new ConcurrentCommitException(table.name(), e);
        } finally {
            table.forgetCachedSnapshot();
        }
    }

    /** One batch of rows replacing {@code removePaths}, committed. */
    static RewriteResult commit(LakeTable table, TableSchema schema, long readVersion, Set<String> removePaths,
            RowBatch rows, Map<String, Long> marks, boolean dataChange) {
        Rewrite rewrite = new Rewrite(table, schema, readVersion, marks, dataChange);
        Map<List<Object>, String> files = rewrite.write(rows);
        return new RewriteResult(rewrite.commit(removePaths), files);
    }

    /** The add action, marked {@code dataChange = false} (Kernel's append actions always say true). */
    private static Row withoutDataChange(Row action, StructType struct) {
        Row row = action.getStruct(action.getSchema().indexOf("add"));
        AddFile add = new AddFile(row);
        return SingleAction.createAddFileSingleAction(AddFile.createAddFileRow(row.getSchema(), add.getPath(),
                add.getPartitionValues(), add.getSize(), add.getModificationTime(), false, add.getDeletionVector(),
                add.getTags(), add.getBaseRowId(), add.getDefaultRowCommitVersion(), add.getStats(struct)));
    }

    private static List<Row> removes(LakeTable table, Snapshot snapshot, Set<String> paths, boolean dataChange) {
        if (paths.isEmpty()) {
            return List.of(); // merge-on-read and plain commits: no need to list the snapshot's files
        }
        List<Row> out = new ArrayList<>();
        Set<String> found = new HashSet<>();
        try (CloseableIterator<FilteredColumnarBatch> files = snapshot.getScanBuilder().build()
                .getScanFiles(table.engine())) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> it = files.next().getRows()) {
                    while (it.hasNext()) {
                        Row scanFile = it.next();
                        String path = ScanFiles.logPath(scanFile);
                        if (paths.contains(path)) {
                            AddFile add = new AddFile(scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL));
                            out.add(SingleAction.createRemoveFileSingleAction(
                                    add.toRemoveFileRow(dataChange, Optional.of(System.currentTimeMillis()))));
                            found.add(path);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new LakeException(table.name(), "listing the files of table " + table.name() + " failed: "
                    + e.getMessage(), e);
        }
        if (found.size() != paths.size()) {
            Set<String> missing = new HashSet<>(paths);
            missing.removeAll(found);
            throw new LakeException(table.name(), "files " + missing + " are not in version " + snapshot.getVersion()
                    + " of table " + table.name());
        }
        return out;
    }
}
