package io.hybridlake.batch;

import io.hybridlake.lake.DataFile;
import io.hybridlake.lake.FileReads;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.Rewrite;
import io.hybridlake.lake.RewriteResult;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TableSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Copy-on-write MERGE ({@code merge: {mode: copy-on-write}}): every file holding a replaced key (found
 * through the key index) is rewritten whole with the winning versions in place of the old ones, one
 * partition at a time in parallel, so memory holds the touched files of one partition per core.
 */
final class CopyOnWrite {
    private CopyOnWrite() {
    }

    static MergeWrites apply(LakeTable target, long version, Map<String, Object[]> winners, KeyIndex index,
            MergeOrder order, TableSchema schema, ClusterOrder cluster, Rewrite rewrite, ExecutorService pool) {
        Set<String> touched = new HashSet<>();
        for (String key : winners.keySet()) {
            KeyIndex.Location at = index.find(key);
            if (at != null) {
                touched.add(at.file());
            }
        }
        Map<Map<String, String>, Set<String>> touchedByPartition = new LinkedHashMap<>();
        for (DataFile f : new TableFiles(target).files(version)) {
            if (touched.contains(f.path())) {
                touchedByPartition.computeIfAbsent(f.partitionValues(), p -> new HashSet<>()).add(f.path());
            }
        }
        MergeWrites writes = new MergeWrites();
        writes.removedFiles.addAll(touched);
        Set<String> placed = ConcurrentHashMap.newKeySet();
        List<Future<List<Object[]>>> work = new ArrayList<>();
        for (Set<String> files : touchedByPartition.values()) {
            work.add(pool.submit(() -> rewritePartition(target, version, files, winners, placed, order, schema, cluster,
                    rewrite, writes)));
        }
        List<Object[]> inserts = new ArrayList<>();
        for (Future<List<Object[]>> f : work) {
            inserts.addAll(Merger.join(f)); // new versions that moved to another partition
        }
        for (Map.Entry<String, Object[]> w : winners.entrySet()) {
            if (!placed.contains(w.getKey())) {
                writes.countWinner(order, w.getValue(), false);
                inserts.add(w.getValue());
            }
        }
        writes.write(rewrite, schema, inserts, cluster, order);
        return writes;
    }

    /** Rewrites one partition's touched files with the winning versions; versions that moved partition are returned. */
    private static List<Object[]> rewritePartition(LakeTable target, long version, Set<String> files,
            Map<String, Object[]> winners, Set<String> placed, MergeOrder order, TableSchema schema, ClusterOrder cluster,
            Rewrite rewrite, MergeWrites total) {
        MergeWrites writes = new MergeWrites();
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> elsewhere = new ArrayList<>();
        for (FileReads.FileRows file : new FileReads(target).rowsIn(version, files)) {
            for (Object[] existing : file.rows()) {
                String key = order.key(existing);
                Object[] change = winners.get(key);
                if (change != null && placed.add(key) && order.compare(change, existing) > 0) {
                    writes.countWinner(order, change, true);
                    boolean samePartition = RewriteResult.partitionOf(schema, change)
                            .equals(RewriteResult.partitionOf(schema, existing));
                    (samePartition ? rows : elsewhere).add(change); // one file per partition per merge
                } else {
                    writes.olderIgnored += change != null ? 1 : 0;
                    rows.add(existing);
                }
            }
        }
        writes.write(rewrite, schema, rows, cluster, order);
        total.add(writes);
        return elsewhere;
    }
}
