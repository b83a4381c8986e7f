package io.hybridlake.batch;

import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.ConcurrentCommitException;
import io.hybridlake.lake.FileReads;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeException;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.LayerMarks;
import io.hybridlake.lake.Rewrite;
import io.hybridlake.lake.TableLog;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.MergePolicy;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.ZoneSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The seed's Pattern 2 MERGE: folds what refined/stream and refined/batch gained since the last run
 * into refined/merged, one row per key, the latest event winning (event time, then CDC log sequence,
 * then stream over batch, then source position) — within a run and across runs, so an older event
 * never overwrites a newer one. CDC deletes become tombstones ({@code _deleted}) that keep beating
 * older updates. Merge-on-read by default (MergeOnRead: replaced rows marked in deletion vectors, new
 * versions appended) or copy-on-write (CopyOnWrite: the files holding touched keys rewritten); both
 * find the touched rows through a key index. The source versions consumed are recorded in the same commit as Delta
 * transaction ids, so a timer that fires twice does nothing the second time and a crash mid-merge
 * loses nothing; the commit fails if anything else committed to the target meanwhile, and the merge
 * is redone (one writer per target in-process; the strict check across processes).
 */
public final class Merger {
    private static final int MAX_ATTEMPTS = 12;
    /** Rewrites partitions of a merge in parallel; callers are never pool threads. */
    private static final ExecutorService PARTITIONS = Executors
            .newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "merge-partition");
                t.setDaemon(true);
                return t;
            });

    private final Lake lake;
    private final LongSupplier clock;
    private final long memoryBudgetBytes;
    private final Map<String, KeyIndex> indexes = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** What one run did. {@code changed} is false when no source had anything new. */
    public record Result(String table, boolean changed, long targetVersion, long rowsRead, long inserted, long updated,
            long deleted, long olderIgnored, int filesRewritten, int filesWithDeletions, long rowsSpilled,
            Map<String, Long> sourceVersions, long millis) {
    }

    /** One source layer of the merge. */
    private record Source(String system, TablePath path) {
        String appId() {
            return LayerMarks.mergeConsumerId(path);
        }
    }

    /** {@code refined/stream/t@12,refined/batch/t@3}: the source versions a merge consumed. */
    private static String upstream(Map<String, Long> marks) {
        StringBuilder sb = new StringBuilder();
        marks.forEach((appId, version) -> sb.append(sb.isEmpty() ? "" : ",")
                .append(appId.substring(appId.indexOf(':') + 1)).append('@').append(version));
        return sb.toString();
    }

    public Merger(Lake lake, LongSupplier clockMillis) {
        this(lake, clockMillis, 0);
    }

    /**
     * {@code memoryBudgetBytes}: how much heap a merge's source rows may take (estimated) before they
     * spill to disk; 0 means a quarter of the maximum heap.
     */
    public Merger(Lake lake, LongSupplier clockMillis, long memoryBudgetBytes) {
        this.lake = lake;
        this.clock = clockMillis;
        this.memoryBudgetBytes = memoryBudgetBytes > 0 ? memoryBudgetBytes : Runtime.getRuntime().maxMemory() / 4;
    }

    public Result merge(PipelineSpec spec) {
        ReentrantLock lock = locks.computeIfAbsent(spec.table(), t -> new ReentrantLock());
        lock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return mergeOnce(spec);
                } catch (ConcurrentCommitException e) {
                    indexes.remove(spec.table()); // another writer changed the target: re-read everything
                    if (attempt >= MAX_ATTEMPTS) {
                        throw e;
                    }
                    backOff(attempt);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private Result mergeOnce(PipelineSpec spec) {
        MergeOrder order = new MergeOrder(spec, new RowRules(spec));
        try (SourceReduction reduction = new SourceReduction(order, memoryBudgetBytes, spec.table())) {
            return mergeOnce(spec, order, reduction);
        }
    }

    private Result mergeOnce(PipelineSpec spec, MergeOrder order, SourceReduction reduction) {
        long started = clock.getAsLong();
        String table = spec.table();
        TableSchema schema = ZoneSchemas.merged(order.rules());
        LakeTable target = lake.table(TablePath.merged(table));
        long targetVersion = target.latestVersionCreatingIfAbsent(schema);

        Map<String, Long> marks = new LinkedHashMap<>();
        long[] rowsRead = {0};
        for (Source source : List.of(new Source("batch", TablePath.refinedBatch(table)),
                new Source("stream", TablePath.refinedStream(table)))) {
            LakeTable from = lake.table(source.path());
            long latest = from.latestVersion();
            long consumed = target.lastTransactionVersion(source.appId());
            if (latest <= consumed) {
                continue;
            }
            TableSchema expected = ZoneSchemas.refined(order.rules());
            if (!from.schemaAt(latest).equals(expected)) { // the pipeline evolved after this merge began
                throw new LakeException(from.name(), "table " + from.name() + " at version " + latest + " does not have the "
                        + "columns pipeline " + table + " expected when this merge began; the next merge uses the new "
                        + "schema");
            }
            // appends only add files; compaction only rewrites files already consumed (Compactor)
            new FileReads(from).forEachFileRows(latest, new TableLog(from).dataFilesAddedAfter(consumed, latest), file -> {
                for (Object[] row : file.rows()) {
                    reduction.add(order.asMerged(row, source.system()));
                }
                rowsRead[0] += file.rows().size();
            });
            marks.put(source.appId(), latest);
        }
        if (marks.isEmpty()) {
            return new Result(table, false, targetVersion, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), clock.getAsLong() - started);
        }

        KeyIndex index = index(target, targetVersion, spec);
        ClusterOrder cluster = ClusterOrder.of(spec);
        boolean mergeOnRead = spec.merge().mode() == MergePolicy.Mode.MERGE_ON_READ;
        Rewrite rewrite = mergeOnRead ? target.beginMergeOnRead(schema, targetVersion, marks)
                : target.beginRewrite(schema, targetVersion, marks);
        MergeWrites writes;
        if (mergeOnRead) { // chunk by chunk when the source rows spilled: memory stays within the budget
            MergeWrites total = new MergeWrites();
            reduction.forEachChunk(chunk -> total.add(
                    MergeOnRead.apply(target, targetVersion, chunk, index, order, schema, cluster, rewrite)));
            writes = total;
        } else { // a file rewritten once per run needs every winner at hand: the upserts are held in memory
            Map<String, Object[]> winners = new HashMap<>();
            reduction.forEachChunk(winners::putAll);
            writes = CopyOnWrite.apply(target, targetVersion, winners, index, order, schema, cluster, rewrite, PARTITIONS);
        }
        int filesWithDeletions = rewrite.filesWithNewDeletions();
        long committed = CommitLineage.during(Map.of(CommitLineage.JOB, "merge", CommitLineage.PIPELINE, table,
                CommitLineage.UPSTREAM, upstream(marks)), () -> rewrite.commit(writes.removedFiles));
        index.advance(committed, writes.placed);
        return new Result(table, true, committed, rowsRead[0], writes.inserted, writes.updated, writes.deleted,
                writes.olderIgnored, writes.removedFiles.size(), filesWithDeletions, reduction.spilledRows(), marks,
                clock.getAsLong() - started);
    }

    /** Compacts refined/merged's small files under this table's merge lock, keeping the key index current. */
    Compactor.Result compact(PipelineSpec spec, Compactor compactor) {
        ReentrantLock lock = locks.computeIfAbsent(spec.table(), t -> new ReentrantLock());
        lock.lock();
        try {
            MergeOrder order = new MergeOrder(spec, new RowRules(spec));
            LakeTable target = lake.table(TablePath.merged(spec.table()));
            List<KeyIndex.Placed> placed = new ArrayList<>();
            boolean indexed = indexes.containsKey(spec.table()); // else nothing to keep current
            return compactor.compact(target, null, ClusterOrder.of(spec), spec.merge().purgeAbove(),
                    (schema, rows, file) -> { // one file per partition, rows in order: position = rank
                        for (int position = 0; indexed && position < rows.size(); position++) {
                            Object[] row = rows.get(position);
                            placed.add(new KeyIndex.Placed(order.key(row), file, position, order.eventTime(row)));
                        }
                    },
                    (c, readVersion) -> {
                        KeyIndex index = indexes.get(spec.table());
                        if (index != null && index.version() == readVersion) {
                            index.advance(c.version(), placed);
                        } else {
                            indexes.remove(spec.table());
                        }
                    });
        } finally {
            lock.unlock();
        }
    }

    /** Random, growing pauses, so two writers that keep colliding drift apart. */
    private static void backOff(int attempt) {
        long bound = 10L << Math.min(attempt, 6);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(bound));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a merge", e);
        }
    }

    private KeyIndex index(LakeTable target, long version, PipelineSpec spec) {
        KeyIndex index = indexes.get(target.name());
        if (index == null || index.version() != version) { // first run, or a commit we did not make
            index = KeyIndex.build(target, version, spec.key(), spec.eventTime());
            indexes.put(target.name(), index);
        }
        return index;
    }

    static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while merging", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
