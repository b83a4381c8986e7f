package io.hybridlake.lake;

import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Deletes a table's data files that no snapshot within the retention period needs: files removed by
 * compaction or MERGE, deletion-vector files no longer referenced (replaced by a later vector or
 * purged), and files of commits that lost a race (never referenced). Kept: every data and
 * deletion-vector file of the version that was current at the retention cutoff, every one added
 * since (by any commit), and any file modified after the cutoff (a write still in flight). The log itself is never touched, so
 * time travel to a version older than the retention fails on missing files, as in Delta Lake.
 */
public final class Vacuum {
    private Vacuum() {
    }

    /** What a vacuum deleted and kept. */
    public record Result(String table, int filesDeleted, long bytesDeleted, int filesKept) {
    }

    static Result run(LakeTable table, RecursiveListing storage, long retentionMillis, long nowMillis) {
        long latest = table.latestVersion();
        if (latest < 0) {
            return new Result(table.name(), 0, 0, 0);
        }
        long cutoff = nowMillis - retentionMillis;
        long atCutoff;
        if (cutoff >= table.latestCommitMillis()) {
            atCutoff = latest; // nothing committed within the retention: only the latest version is live
        } else {
            try {
                atCutoff = table.versionAt(cutoff);
            } catch (RuntimeException e) {
                atCutoff = 0; // the table is younger than the retention: every version is kept
            }
        }
        Set<String> keep = new HashSet<>();
        for (String p : new TableFiles(table).filePaths(atCutoff)) {
            keep.add(decode(p));
        }
        for (String p : new TableLog(table).filesAddedAfter(atCutoff, latest, false)) {
            keep.add(decode(p));
        }
        keep.addAll(new TableLog(table).deletionVectorFiles(atCutoff, latest));
        String prefix = table.path().endsWith("/") ? table.path() : table.path() + "/";
        int deleted = 0;
        int kept = 0;
        long bytes = 0;
        try {
            for (FileStatus f : storage.listRecursively(table.path())) {
                if (!f.getPath().startsWith(prefix)) {
                    continue; // not under this table (cannot happen with a consistent storage adapter)
                }
                String relative = f.getPath().substring(prefix.length());
                if (relative.startsWith("_delta_log/") || relative.startsWith("_") || relative.startsWith(".")) {
                    continue;
                }
                if (keep.contains(relative) || f.getModificationTime() >= cutoff) {
                    kept++;
                    continue;
                }
                if (table.lake().io().delete(f.getPath())) {
                    deleted++;
                    bytes += f.getSize();
                }
            }
        } catch (IOException e) {
            throw new LakeException(table.name(), "vacuum of table " + table.name() + " failed after deleting "
                    + deleted + " files: " + e.getMessage(), e);
        }
        return new Result(table.name(), deleted, bytes, kept);
    }

    private static String decode(String logPath) {
        return ScanFiles.decodePath(logPath);
    }
}
