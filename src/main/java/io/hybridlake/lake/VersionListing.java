package io.hybridlake.lake;

import io.delta.kernel.Snapshot;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a table version holds for an outside reader, as replayed from the log once: the schema and each
 * data file's path in the log, location, size, partition values and deletion vector. A version never
 * changes, so a listing can be kept ({@link VersionListings}).
 */
record VersionListing(long version, TableSchema schema, boolean columnsAdded, List<String> logPaths,
        List<LocalFiles.LakeFile> files, List<Map<String, String>> partitions, List<DeletionVectorDescriptor> vectors) {

    /** Replays the log of {@code table} up to {@code snapshot}. */
    static VersionListing of(LakeTable table, Snapshot snapshot) {
        List<String> logPaths = new ArrayList<>();
        List<LocalFiles.LakeFile> files = new ArrayList<>();
        List<Map<String, String>> partitions = new ArrayList<>();
        List<DeletionVectorDescriptor> vectors = new ArrayList<>();
        ScanFiles.forEachScanFile(table, snapshot, scanFile -> {
            String path = ScanFiles.logPath(scanFile);
            logPaths.add(path);
            vectors.add(InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile));
            files.add(new LocalFiles.LakeFile(table.path() + "/" + ScanFiles.decodePath(path),
                    InternalScanFileUtils.getAddFileStatus(scanFile).getSize()));
            partitions.add(Collections.unmodifiableMap(ScanFiles.partitionValues(scanFile))); // shared by later readers
        });
        TableSchema schema = KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(), table.name());
        return new VersionListing(snapshot.getVersion(), schema, SchemaEvolution.columnMapped(snapshot),
                List.copyOf(logPaths), List.copyOf(files), List.copyOf(partitions),
                Collections.unmodifiableList(vectors));
    }
}
