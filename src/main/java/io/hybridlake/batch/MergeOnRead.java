package io.hybridlake.batch;

import io.hybridlake.lake.Column;
import io.hybridlake.lake.FileReads;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.Rewrite;
import io.hybridlake.lake.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merge-on-read MERGE (the default): a winning change marks the replaced row's position in its
 * file's deletion vector and is appended in a new file; no existing file is read or rewritten except
 * to settle an event-time tie. The key index says where each key's row is and its event time, so the
 * cost follows the number of upserts, not the size of the table.
 */
final class MergeOnRead {
    private MergeOnRead() {
    }

    static MergeWrites apply(LakeTable target, long version, Map<String, Object[]> winners, KeyIndex index,
            MergeOrder order, TableSchema schema, ClusterOrder cluster, Rewrite rewrite) {
        MergeWrites writes = new MergeWrites();
        List<Object[]> newRows = new ArrayList<>();
        Map<String, Map<Integer, Object[]>> ties = new HashMap<>(); // file → position → change
        for (Map.Entry<String, Object[]> w : winners.entrySet()) {
            Object[] change = w.getValue();
            KeyIndex.Location at = index.find(w.getKey());
            if (at == null) {
                writes.countWinner(order, change, false);
                newRows.add(change);
                continue;
            }
            int c = order.compareTime(change, at.eventTime());
            if (c > 0) {
                replace(writes, order, change, at.file(), at.position(), newRows, rewrite);
            } else if (c < 0) {
                writes.olderIgnored++;
            } else { // same event time: the rest of the order (CDC sequence, layer, source position) decides
                ties.computeIfAbsent(at.file(), f -> new HashMap<>()).put(at.position(), change);
            }
        }
        if (!ties.isEmpty()) {
            List<String> all = schema.columns().stream().map(Column::name).toList();
            for (FileReads.PositionedRows file : new FileReads(target).positionedRows(version, ties.keySet(), all)) {
                Map<Integer, Object[]> changes = ties.get(file.path());
                for (int i = 0; i < file.rows().size(); i++) {
                    Object[] change = changes.get(file.positions()[i]);
                    if (change == null) {
                        continue;
                    }
                    if (order.compare(change, file.rows().get(i)) > 0) {
                        replace(writes, order, change, file.path(), file.positions()[i], newRows, rewrite);
                    } else {
                        writes.olderIgnored++;
                    }
                }
            }
        }
        writes.write(rewrite, schema, newRows, cluster, order);
        return writes;
    }

    private static void replace(MergeWrites writes, MergeOrder order, Object[] change, String file, int position,
            List<Object[]> newRows, Rewrite rewrite) {
        writes.countWinner(order, change, true);
        newRows.add(change);
        rewrite.deleteRow(file, position);
    }
}
