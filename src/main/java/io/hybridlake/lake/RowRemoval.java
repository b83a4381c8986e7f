package io.hybridlake.lake;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Removing chosen rows from a table (a replay's rewind), with the transaction marks and domain
 * metadata set back in the same commit: copy-on-write or marked in deletion vectors.
 */
public final class RowRemoval {
    private final LakeTable table;

    public RowRemoval(LakeTable table) {
        this.table = table;
    }

    /**
     * Removes the rows {@code doomed} selects (rewriting the files that hold any) and sets {@code marks}
     * — to any version, lower ones included — and domain metadata, in one commit on top of
     * {@code readVersion}; throws {@link ConcurrentCommitException} if anything committed since. Reads
     * every file of the version: an operation for rare maintenance (replay), not a hot path.
     */
    public long removeRows(long readVersion, Predicate<Object[]> doomed, Map<String, Long> marks,
            Map<String, String> setDomains, Set<String> removedDomains) {
        TableSchema schema = table.schemaAt(readVersion);
        Set<String> all = new HashSet<>();
        new TableFiles(table).files(readVersion).forEach(f -> all.add(f.path()));
        Set<String> removed = new HashSet<>();
        List<Object[]> kept = new ArrayList<>();
        for (FileReads.FileRows file : new FileReads(table).rowsIn(readVersion, all)) {
            if (file.rows().stream().anyMatch(doomed)) {
                removed.add(file.path());
                file.rows().stream().filter(doomed.negate()).forEach(kept::add);
            }
        }
        Rewrite rewrite = new Rewrite(table, schema, readVersion, marks, true, true, false);
        setDomains.forEach(rewrite::setDomain);
        removedDomains.forEach(rewrite::removeDomain);
        rewrite.write(RowBatch.of(schema, kept));
        return rewrite.commit(removed);
    }

    /**
     * As {@link #removeRows}, merge-on-read: the rows {@code doomed} selects — given the values of
     * {@code columns} only, read by projection — are marked in deletion vectors, no file is rewritten;
     * marks and domains are set in the same commit. Returns the version committed.
     */
    public long markRowsDeleted(long readVersion, List<String> columns, Predicate<Object[]> doomed,
            Map<String, Long> marks, Map<String, String> setDomains, Set<String> removedDomains) {
        Rewrite rewrite = new Rewrite(table, table.schemaAt(readVersion), readVersion, marks, true, true, true);
        new FileReads(table).forEachPositioned(readVersion, null, columns, file -> {
            for (int i = 0; i < file.rows().size(); i++) {
                if (doomed.test(file.rows().get(i))) {
                    rewrite.deleteRow(file.path(), file.positions()[i]);
                }
            }
        });
        setDomains.forEach(rewrite::setDomain);
        removedDomains.forEach(rewrite::removeDomain);
        return rewrite.commit(Set.of());
    }
}
