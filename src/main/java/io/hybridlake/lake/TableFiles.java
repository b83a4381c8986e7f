package io.hybridlake.lake;

import io.delta.kernel.Snapshot;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** The data files of a table version: paths, sizes, partition values, statistics, deletion vectors. */
public final class TableFiles {
    private final LakeTable table;

    public TableFiles(LakeTable table) {
        this.table = table;
    }

    /** The data files of the table at {@code version}, with sizes, partition values and deletion vectors. */
    public List<DataFile> files(long version) {
        List<DataFile> out = new ArrayList<>();
        Snapshot snapshot = table.snapshot(version);
        ScanFiles.forEachScanFile(table, snapshot, snapshot.getScanBuilder().build(), true, scanFile -> {
            DeletionVectorDescriptor dv = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile);
            out.add(new DataFile(ScanFiles.logPath(scanFile), InternalScanFileUtils.getAddFileStatus(scanFile).getSize(),
                    ScanFiles.partitionValues(scanFile), ScanFiles.recordCount(scanFile), dv == null ? null : dv.getUniqueId(),
                    dv == null ? 0 : dv.getCardinality()));
        });
        return out;
    }

    /** The data files of the table at {@code version}, by their path in the log (relative to the table). */
    public Set<String> filePaths(long version) {
        Set<String> paths = new HashSet<>();
        ScanFiles.forEachScanFile(table, table.snapshot(version), scanFile -> paths.add(ScanFiles.logPath(scanFile)));
        return paths;
    }

    /** As below, for a lake on the local filesystem. */
    public SnapshotFiles snapshotFiles(OptionalLong version) {
        return snapshotFiles(version, LocalFiles.onLocalDisk());
    }

    /**
     * The exact files of a version (the latest if absent) with their local paths from {@code local}
     * (the files themselves, or local copies of a remote lake's), for a reader that is not Kernel, and
     * the row positions each file's deletion vector (ours or another engine's) marks deleted, which
     * that reader must leave out.
     */
    public SnapshotFiles snapshotFiles(OptionalLong version, LocalFiles local) {
        Snapshot snapshot = ScanFiles.snapshot(table, version);
        List<LocalFiles.LakeFile> lakeFiles = new ArrayList<>();
        List<Map<String, String>> partitions = new ArrayList<>();
        List<String> logPaths = new ArrayList<>();
        List<DeletionVectorDescriptor> vectors = new ArrayList<>();
        ScanFiles.forEachScanFile(table, snapshot, scanFile -> {
            String path = ScanFiles.logPath(scanFile);
            logPaths.add(path);
            vectors.add(InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile));
            lakeFiles.add(new LocalFiles.LakeFile(table.path() + "/" + ScanFiles.decodePath(path),
                    InternalScanFileUtils.getAddFileStatus(scanFile).getSize()));
            partitions.add(ScanFiles.partitionValues(scanFile));
        });
        List<long[]> deletions = table.lake().deletionVectors().positions(table, snapshot.getVersion(), logPaths, vectors);
        List<Path> paths = local.paths(table.name(), lakeFiles);
        List<SnapshotFiles.File> files = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            files.add(new SnapshotFiles.File(paths.get(i), partitions.get(i), deletions.get(i)));
        }
        TableSchema schema = KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(), table.name());
        return new SnapshotFiles(table.name(), snapshot.getVersion(), schema, SchemaEvolution.columnMapped(snapshot),
                List.copyOf(files));
    }
}
