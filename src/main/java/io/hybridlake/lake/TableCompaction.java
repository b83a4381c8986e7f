package io.hybridlake.lake;

import io.delta.kernel.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compaction of a table's files: fewer, larger files with the same rows, deleted rows purged. */
public final class TableCompaction {
    private final LakeTable table;

    public TableCompaction(LakeTable table) {
        this.table = table;
    }

    /** A committed compaction: its version, the table's schema, and how many rows it rewrote. */
    public record Result(long version, TableSchema schema, long rows) {
    }

    /** Hears one partition's rewritten rows, in the order they were written, and the file they went to. */
    public interface RewrittenRows {
        void accept(TableSchema schema, List<Object[]> rows, String file);
    }

    /**
     * Rewrites the files {@code paths} (read at {@code readVersion}) as one file per partition, rows in
     * {@code order} when given, with {@code dataChange = false}: readers and consumers see no new data.
     * Deleted rows (deletion vectors) are left out, so this also purges. One partition is in memory at
     * a time; all partitions are one commit.
     */
    public Result compact(long readVersion, Set<String> paths, Comparator<Object[]> order, RewrittenRows listener) {
        Snapshot snapshot = table.snapshot(readVersion);
        TableSchema schema = KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(), table.name());
        Map<Map<String, String>, Set<String>> byPartition = new LinkedHashMap<>();
        for (DataFile f : new TableFiles(table).files(readVersion)) {
            if (paths.contains(f.path())) {
                byPartition.computeIfAbsent(f.partitionValues(), p -> new HashSet<>()).add(f.path());
            }
        }
        Rewrite rewrite = new Rewrite(table, schema, readVersion, Map.of(), false);
        long rows = 0;
        for (Set<String> partition : byPartition.values()) {
            List<Object[]> all = new ArrayList<>();
            for (FileReads.FileRows file : new FileReads(table).rowsIn(readVersion, partition)) {
                all.addAll(file.rows());
            }
            if (order != null) {
                all.sort(order);
            }
            Map<List<Object>, String> written = rewrite.write(RowBatch.of(schema, all));
            if (!written.isEmpty()) {
                listener.accept(schema, all, written.values().iterator().next());
            }
            rows += all.size();
        }
        return new Result(rewrite.commit(paths), schema, rows);
    }

    /** As above, without a listener. */
    public Result compact(long readVersion, Set<String> paths, Comparator<Object[]> order) {
        return compact(readVersion, paths, order, (schema, rows, file) -> { });
    }
}
