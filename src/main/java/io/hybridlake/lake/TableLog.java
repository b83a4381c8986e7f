package io.hybridlake.lake;

import io.delta.kernel.CommitRangeBuilder;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.internal.DeltaLogActionUtils;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.ObjIntConsumer;

/** What changed in a table between two versions, from the commits' add actions. */
public final class TableLog {
    private final LakeTable table;
    private final TableFiles files;

    public TableLog(LakeTable table) {
        this.table = table;
        this.files = new TableFiles(table);
    }

    /**
     * Files committed as new data ({@code dataChange = true}) in versions after {@code afterVersion} up
     * to {@code toVersion} and still present at {@code toVersion}: what a consumer that read the table
     * at {@code afterVersion} has not seen. Files rewritten by compaction ({@code dataChange = false})
     * are not new data and are left out, nor are files it had that were re-added with a deletion vector.
     */
    public Set<String> dataFilesAddedAfter(long afterVersion, long toVersion) {
        if (afterVersion < 0) {
            return files.filePaths(toVersion);
        }
        Set<String> added = new HashSet<>();
        Set<String> withVector = new HashSet<>();
        forEachAddAfter(afterVersion, toVersion, (add, r) -> {
            StructType fields = (StructType) add.getDataType();
            if (add.getChild(fields.indexOf("dataChange")).getBoolean(r)) {
                String path = add.getChild(fields.indexOf("path")).getString(r);
                added.add(path);
                if (!add.getChild(fields.indexOf("deletionVector")).isNullAt(r)) {
                    withVector.add(path);
                }
            }
        });
        if (!withVector.isEmpty()) {
            // a file the consumer had, re-added with a deletion vector (rows deleted): no new rows in it
            withVector.retainAll(files.filePaths(afterVersion));
            added.removeAll(withVector);
        }
        added.retainAll(files.filePaths(toVersion));
        return added;
    }

    /** Paths of every file added (only those with {@code dataChange = true} if {@code dataOnly}) in (after, to]. */
    public Set<String> filesAddedAfter(long afterVersion, long toVersion, boolean dataOnly) {
        Set<String> added = new HashSet<>();
        forEachAddAfter(afterVersion, toVersion, (add, r) -> {
            StructType fields = (StructType) add.getDataType();
            if (!dataOnly || add.getChild(fields.indexOf("dataChange")).getBoolean(r)) {
                added.add(add.getChild(fields.indexOf("path")).getString(r));
            }
        });
        return added;
    }

    /**
     * The deletion-vector files (relative to the table root) that version {@code atVersion} uses or
     * that any add action in (atVersion, toVersion] names: what vacuum must keep.
     */
    public Set<String> deletionVectorFiles(long atVersion, long toVersion) {
        Set<String> files = new HashSet<>();
        ScanFiles.forEachScanFile(table, table.snapshot(atVersion), scanFile -> {
            DeletionVectorDescriptor dv = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile);
            String file = dv == null ? null : DeletionVectors.relativeFile(dv);
            if (file != null) {
                files.add(file);
            }
        });
        forEachAddAfter(atVersion, toVersion, (add, r) -> {
            ColumnVector dvs = add.getChild(((StructType) add.getDataType()).indexOf("deletionVector"));
            if (!dvs.isNullAt(r)) {
                String file = DeletionVectors.relativeFile(DeletionVectorDescriptor.fromColumnVector(dvs, r));
                if (file != null) {
                    files.add(file);
                }
            }
        });
        return files;
    }

    /** Calls {@code action} with the add vector and row of every add action in versions (after, to]. */
    private void forEachAddAfter(long afterVersion, long toVersion, ObjIntConsumer<ColumnVector> action) {
        if (toVersion <= afterVersion) {
            return;
        }
        var range = TableManager.loadCommitRange(table.path(),
                CommitRangeBuilder.CommitBoundary.atVersion(afterVersion + 1))
                .withEndBoundary(CommitRangeBuilder.CommitBoundary.atVersion(toVersion))
                .build(table.engine());
        try (CloseableIterator<ColumnarBatch> actions = range.getActions(table.engine(),
                Set.of(DeltaLogActionUtils.DeltaAction.ADD))) {
            while (actions.hasNext()) {
                ColumnarBatch batch = actions.next();
                ColumnVector add = batch.getColumnVector(batch.getSchema().indexOf("add"));
                for (int r = 0; r < batch.getSize(); r++) {
                    if (!add.isNullAt(r)) {
                        action.accept(add, r);
                    }
                }
            }
        } catch (IOException e) {
            throw new LakeException(table.name(), "reading the log of table " + table.name() + " after version "
                    + afterVersion + " failed: " + e.getMessage(), e);
        }
    }
}
