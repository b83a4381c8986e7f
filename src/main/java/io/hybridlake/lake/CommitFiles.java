package io.hybridlake.lake;

import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commit files of a table's log, from one listing of {@code _delta_log}: which versions exist and
 * the identity of each commit file, without building a snapshot. Loading the latest snapshot to learn
 * its version replays the log for the protocol and metadata (20–30 ms on a 7-commit log of 500-file
 * commits, measured); the listing costs one directory read.
 */
final class CommitFiles {
    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");

    /**
     * A commit file. Size and modification time tell a commit from another one at the same version of
     * a table that was deleted and created again at the same path.
     */
    record Commit(long version, long size, long modifiedMillis) {
    }

    private final TreeMap<Long, Commit> byVersion;

    private CommitFiles(TreeMap<Long, Commit> byVersion) {
        this.byVersion = byVersion;
    }

    /** The commit files of {@code table} now (none if the table does not exist). */
    static CommitFiles list(LakeTable table) {
        TreeMap<Long, Commit> commits = new TreeMap<>();
        String first = table.path() + "/_delta_log/" + "0".repeat(20) + ".json";
        try (CloseableIterator<FileStatus> files = table.engine().getFileSystemClient().listFrom(first)) {
            while (files.hasNext()) {
                FileStatus f = files.next();
                String path = f.getPath();
                Matcher m = COMMIT.matcher(path.substring(path.lastIndexOf('/') + 1));
                if (m.matches()) {
                    long version = Long.parseLong(m.group(1));
                    commits.put(version, new Commit(version, f.getSize(), f.getModificationTime()));
                }
            }
        } catch (FileNotFoundException e) {
            return new CommitFiles(commits); // no log: no table
        } catch (IOException e) {
            throw new LakeException(table.name(), "listing the log of table " + table.name() + " failed: " + e.getMessage(), e);
        }
        return new CommitFiles(commits);
    }

    Optional<Commit> latest() {
        return byVersion.isEmpty() ? Optional.empty() : Optional.of(byVersion.lastEntry().getValue());
    }

    /** The commit of {@code version}, if its file is still in the log (log cleanup removes old ones). */
    Optional<Commit> at(long version) {
        return Optional.ofNullable(byVersion.get(version));
    }
}
