package io.hybridlake.batch;

import io.hybridlake.lake.Rewrite;
import io.hybridlake.lake.RewriteResult;
import io.hybridlake.lake.RowBatch;
import io.hybridlake.lake.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What one merge run changes in refined/merged, before the commit, and the writing of its rows. */
final class MergeWrites {
    /** Rows newly inserted, updated, deleted (tombstoned), and versions older than the table's, ignored. */
    long inserted;
    long updated;
    long deleted;
    long olderIgnored;
    /** Files removed whole (copy-on-write). */
    final Set<String> removedFiles = ConcurrentHashMap.newKeySet();
    /** Where every row written went, for the key index once committed. */
    final List<KeyIndex.Placed> placed = new ArrayList<>();

    synchronized void add(MergeWrites other) {
        inserted += other.inserted;
        updated += other.updated;
        deleted += other.deleted;
        olderIgnored += other.olderIgnored;
        removedFiles.addAll(other.removedFiles);
        placed.addAll(other.placed);
    }

    /** Counts a winning change: a tombstone or an update of an existing key, else an insert. */
    void countWinner(MergeOrder order, Object[] change, boolean existed) {
        if (order.isDelete(change)) {
            deleted++; // a delete of an unseen key still leaves a tombstone
        } else if (existed) {
            updated++;
        } else {
            inserted++;
        }
    }

    /**
     * Writes rows (sorted first if the pipeline clusters) in one batch of the rewrite and notes where
     * each went: one file per partition, rows in batch order, so a row's position is its rank among
     * the batch's rows of its partition.
     */
    void write(Rewrite rewrite, TableSchema schema, List<Object[]> rows, ClusterOrder cluster, MergeOrder order) {
        if (rows.isEmpty()) {
            return;
        }
        if (cluster != null) {
            rows.sort(cluster);
        }
        Map<List<Object>, String> files = rewrite.write(RowBatch.of(schema, rows));
        Map<List<Object>, int[]> nextPosition = new HashMap<>();
        List<KeyIndex.Placed> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            List<Object> partition = RewriteResult.partitionOf(schema, row);
            int position = nextPosition.computeIfAbsent(partition, p -> new int[1])[0]++;
            out.add(new KeyIndex.Placed(order.key(row), files.get(partition), position, order.eventTime(row)));
        }
        synchronized (this) {
            placed.addAll(out);
        }
    }
}
