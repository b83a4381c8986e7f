package io.hybridlake.lake;

import io.delta.kernel.Snapshot;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.hybridlake.HybridlakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        if (version.isEmpty()) {
            return latestSnapshotFiles(local).orElseThrow(() -> new HybridlakeException.NotFound(table.name(),
                    "table " + table.name() + " does not exist yet (nothing has been written to it)"));
        }
        long v = version.getAsLong();
        Optional<CommitFiles.Commit> commit = v < 0 ? Optional.empty() : CommitFiles.list(table).at(v);
        // a version not in the log's listing is beyond the latest, or its commit was cleaned up: Kernel says which
        return snapshotFiles(commit.isPresent() ? listing(commit.get()) : VersionListing.of(table, table.snapshot(v)), local);
    }

    /** As above for the latest version, found by listing the log; empty if the table has no commit. */
    public Optional<SnapshotFiles> latestSnapshotFiles(LocalFiles local) {
        return CommitFiles.list(table).latest().map(commit -> snapshotFiles(listing(commit), local));
    }

    private VersionListing listing(CommitFiles.Commit commit) {
        return table.lake().versionListings().get(table, commit,
                () -> VersionListing.of(table, table.snapshot(commit.version())));
    }

    private SnapshotFiles snapshotFiles(VersionListing listing, LocalFiles local) {
        List<long[]> deletions = table.lake().deletionVectors().positions(table, listing.version(), listing.logPaths(),
                listing.vectors());
        List<Path> paths = local.paths(table.name(), listing.files());
        List<SnapshotFiles.File> files = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            files.add(new SnapshotFiles.File(paths.get(i), listing.partitions().get(i), deletions.get(i)));
        }
        return new SnapshotFiles(table.name(), listing.version(), listing.schema(), listing.columnsAdded(), List.copyOf(files));
    }
}
