package io.hybridlake.lake;

import io.delta.kernel.internal.actions.CommitInfo;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The newest commits of a table with their commit info (operation, engine, lineage parameters). */
public final class CommitHistory {
    /** One commit; {@code parameters} holds Kernel's operation parameters and the {@link CommitLineage}. */
    public record Commit(long version, long timestampMillis, String operation, String engineInfo,
            Map<String, String> parameters) {
    }

    private CommitHistory() {
    }

    /** Up to {@code limit} commits, newest first; versions whose commit file was cleaned up are skipped. */
    static List<Commit> of(LakeTable table, int limit) {
        long latest = table.latestVersion();
        List<Commit> out = new ArrayList<>();
        for (long v = latest; v >= 0 && out.size() < limit; v--) {
            read(table, v).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Commit> read(LakeTable table, long version) {
        String file = String.format("%s/_delta_log/%020d.json", table.path(), version);
        try {
            FileStatus status = table.lake().io().getFileStatus(file);
            return CommitInfo.tryReadCommitInfoFromDeltaFile(table.engine(), status).map(info -> new Commit(version,
                    info.getTimestamp(), info.getOperation().orElse(""), info.getEngineInfo().orElse(""),
                    info.getOperationParameters()));
        } catch (IOException e) {
            return Optional.empty(); // cleaned up by log retention: history is the retained log
        }
    }
}
