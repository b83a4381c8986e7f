package io.hybridlake.batch;

import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.DataFile;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.LayerMarks;
import io.hybridlake.lake.TableCompaction;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Compaction of small files: in each partition holding at least {@code minFiles} files smaller than
 * {@code smallFileBytes}, those files are rewritten as one ({@code dataChange = false}: no reader or
 * consumer sees new data). It also purges deletion vectors, as Delta's {@code REORG TABLE … APPLY
 * (PURGE)}: a file whose vector marks more than the pipeline's {@code merge.purge_above} share of its
 * rows is rewritten without them (with the partition's small files). The stream path writes a file per partition per micro-batch, and merges
 * add files for new keys; this keeps tables at a manageable file count. The refined layers are only
 * compacted in files the MERGE has already consumed, so a merge never mistakes compacted rows for new
 * ones; refined/merged is compacted by the {@link Merger} under its lock, which keeps its key index.
 */
public final class Compactor {
    private final Lake lake;
    private final Merger merger;
    private final long smallFileBytes;
    private final int minFiles;

    /** One table's compaction: files rewritten and written, and the version it committed (-1: none). */
    public record Result(String table, int filesCompacted, int filesWritten, long version) {
    }

    public Compactor(Lake lake, Merger merger, long smallFileBytes, int minFiles) {
        this.lake = lake;
        this.merger = merger;
        this.smallFileBytes = smallFileBytes;
        this.minFiles = minFiles;
    }

    /** Compacts every table of the pipeline that needs it. */
    public List<Result> compact(PipelineSpec spec) {
        String t = spec.table();
        List<Result> out = new ArrayList<>();
        for (TablePath path : List.of(TablePath.rawStream(t), TablePath.rawBatch(t), TablePath.rejected(t),
                TablePath.late(t))) {
            out.add(compact(lake.table(path), null, null, spec.merge().purgeAbove()));
        }
        ClusterOrder order = ClusterOrder.of(spec);
        LakeTable merged = lake.table(TablePath.merged(t));
        for (TablePath source : List.of(TablePath.refinedStream(t), TablePath.refinedBatch(t))) {
            long consumed = merged.lastTransactionVersion(LayerMarks.mergeConsumerId(source));
            out.add(consumed < 0 ? new Result(source.relative(), 0, 0, -1)
                    : compact(lake.table(source), new HashSet<>(new TableFiles(lake.table(source)).filePaths(consumed)),
                            order, spec.merge().purgeAbove()));
        }
        out.add(compactMerged(spec));
        return out;
    }

    /** Compacts (and purges) refined/merged alone, under the pipeline's merge lock. */
    public Result compactMerged(PipelineSpec spec) {
        return merger.compact(spec, this);
    }

    /**
     * Compacts the small files of {@code table} (only among {@code eligible} when given), rows in
     * {@code order}, and purges files whose deletion vectors mark more than {@code purgeAbove} of their rows.
     */
    Result compact(LakeTable table, Set<String> eligible, Comparator<Object[]> order, double purgeAbove) {
        return compact(table, eligible, order, purgeAbove, (schema, rows, file) -> { }, (c, readVersion) -> { });
    }

    /**
     * As above; {@code rewritten} hears each partition's rewritten rows as they are written, and
     * {@code committed} of the compaction and the version it read (index keeping).
     */
    Result compact(LakeTable table, Set<String> eligible, Comparator<Object[]> order, double purgeAbove,
            TableCompaction.RewrittenRows rewritten, BiConsumer<TableCompaction.Result, Long> committed) {
        long version = table.latestVersion();
        if (version < 0) {
            return new Result(table.name(), 0, 0, -1);
        }
        Set<String> chosen = new HashSet<>();
        Set<Map<String, String>> partitions = new HashSet<>();
        for (List<DataFile> group : candidatesByPartition(table, version, eligible, purgeAbove).values()) {
            // a purge rewrites even a lone file: its deleted rows cost every reader
            if (group.size() >= minFiles || group.stream().anyMatch(f -> f.deletedShare() > purgeAbove)) {
                group.forEach(f -> chosen.add(f.path()));
                partitions.add(group.get(0).partitionValues());
            }
        }
        if (chosen.isEmpty()) {
            return new Result(table.name(), 0, 0, -1);
        }
        TableCompaction.Result c = CommitLineage.during(Map.of(CommitLineage.JOB, "compact", CommitLineage.UPSTREAM,
                table.name() + "@" + version), () -> new TableCompaction(table).compact(version, chosen, order, rewritten));
        committed.accept(c, version);
        return new Result(table.name(), chosen.size(), partitions.size(), c.version());
    }

    /** Small files and files to purge, by partition. */
    private Map<Map<String, String>, List<DataFile>> candidatesByPartition(LakeTable table, long version,
            Set<String> eligible, double purgeAbove) {
        Map<Map<String, String>, List<DataFile>> groups = new HashMap<>();
        for (DataFile f : new TableFiles(table).files(version)) {
            boolean candidate = f.sizeBytes() < smallFileBytes || f.deletedShare() > purgeAbove;
            if (candidate && (eligible == null || eligible.contains(f.path()))) {
                groups.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f);
            }
        }
        return groups;
    }
}
