package io.hybridlake.batch;

import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.DataFile;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeException;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.LayerMarks;
import io.hybridlake.lake.Rewrite;
import io.hybridlake.lake.RewriteResult;
import io.hybridlake.lake.RowBatch;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.ZoneSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The seed's Pattern 2 MERGE: folds what refined/stream and refined/batch gained since the last run
 * into refined/merged, one row per key, the latest event winning (event time, then CDC log sequence,
 * then stream over batch, then source position) — within a run and across runs, so an older event
 * never overwrites a newer one. CDC deletes become tombstones ({@code _deleted}) that keep beating
 * older updates. Copy-on-write: only the target files holding touched keys (found through a key
 * index) are rewritten. The source versions consumed are recorded in the same commit as Delta
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
    private final Map<String, KeyIndex> indexes = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** What one run did. {@code changed} is false when no source had anything new. */
    public record Result(String table, boolean changed, long targetVersion, long rowsRead, long inserted, long updated,
            long deleted, long olderIgnored, int filesRewritten, Map<String, Long> sourceVersions, long millis) {
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
        this.lake = lake;
        this.clock = clockMillis;
    }

    public Result merge(PipelineSpec spec) {
        ReentrantLock lock = locks.computeIfAbsent(spec.table(), t -> new ReentrantLock());
        lock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return mergeOnce(spec);
                } catch (LakeTable.ConcurrentCommitException e) {
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
        long started = clock.getAsLong();
        String table = spec.table();
        MergeOrder order = new MergeOrder(spec, new RowRules(spec));
        TableSchema schema = ZoneSchemas.merged(order.rules());
        LakeTable target = lake.table(TablePath.merged(table));
        long targetVersion = target.latestVersionCreatingIfAbsent(schema);

        Map<String, Long> marks = new LinkedHashMap<>();
        Map<String, Object[]> winners = new HashMap<>();
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
            TableReader reader = new TableReader(from);
            // appends only add files; compaction only rewrites files already consumed (Compactor)
            Set<String> files = reader.dataFilesAddedAfter(consumed, latest);
            for (TableReader.FileRows file : reader.rowsIn(latest, files)) {
                for (Object[] row : file.rows()) {
                    rowsRead[0]++;
                    Object[] change = order.asMerged(row, source.system());
                    winners.merge(order.key(change), change, (a, b) -> order.compare(a, b) >= 0 ? a : b);
                }
            }
            marks.put(source.appId(), latest);
        }
        if (marks.isEmpty()) {
            return new Result(table, false, targetVersion, 0, 0, 0, 0, 0, 0, Map.of(), clock.getAsLong() - started);
        }

        KeyIndex index = index(target, targetVersion, order::key);
        Set<String> touched = new HashSet<>();
        for (String key : winners.keySet()) {
            String file = index.fileOf(key);
            if (file != null) {
                touched.add(file);
            }
        }
        // One partition's touched files at a time: memory holds one partition, not the table.
        Map<Map<String, String>, Set<String>> touchedByPartition = new LinkedHashMap<>();
        for (DataFile f : new TableReader(target).files(targetVersion)) {
            if (touched.contains(f.path())) {
                touchedByPartition.computeIfAbsent(f.partitionValues(), p -> new HashSet<>()).add(f.path());
            }
        }
        ClusterOrder cluster = ClusterOrder.of(spec);
        Rewrite rewrite = target.beginRewrite(schema, targetVersion, marks);
        List<String[]> located = new ArrayList<>(); // key, file: applied to the index once committed
        long[] counts = new long[4]; // inserted, updated, deleted, older ignored
        Set<String> placed = ConcurrentHashMap.newKeySet();
        List<Object[]> elsewhere = new ArrayList<>(); // new versions that moved to another partition
        List<Future<PartitionWork>> work = new ArrayList<>();
        for (Set<String> files : touchedByPartition.values()) { // partitions in parallel, one per core
            work.add(PARTITIONS.submit(() -> rewritePartition(target, targetVersion, files, winners, placed, order,
                    schema, cluster, rewrite)));
        }
        for (Future<PartitionWork> f : work) {
            PartitionWork w = join(f);
            for (int i = 0; i < counts.length; i++) {
                counts[i] += w.counts()[i];
            }
            elsewhere.addAll(w.elsewhere());
            located.addAll(w.located());
        }
        List<Object[]> inserts = elsewhere;
        for (Map.Entry<String, Object[]> w : winners.entrySet()) {
            if (!placed.contains(w.getKey())) {
                counts[order.isDelete(w.getValue()) ? 2 : 0]++; // a delete of an unseen key still leaves a tombstone
                inserts.add(w.getValue());
            }
        }
        write(rewrite, schema, inserts, cluster, order, located);
        long committed = CommitLineage.during(Map.of(CommitLineage.JOB, "merge", CommitLineage.PIPELINE, table,
                CommitLineage.UPSTREAM, upstream(marks)), () -> rewrite.commit(touched));
        index.advance(committed, located);
        return new Result(table, true, committed, rowsRead[0], counts[0], counts[1], counts[2], counts[3],
                touched.size(), marks, clock.getAsLong() - started);
    }

    /** Compacts refined/merged's small files under this table's merge lock, keeping the key index current. */
    Compactor.Result compact(PipelineSpec spec, Compactor compactor) {
        ReentrantLock lock = locks.computeIfAbsent(spec.table(), t -> new ReentrantLock());
        lock.lock();
        try {
            MergeOrder order = new MergeOrder(spec, new RowRules(spec));
            LakeTable target = lake.table(TablePath.merged(spec.table()));
            return compactor.compact(target, null, ClusterOrder.of(spec), (c, readVersion) -> {
                KeyIndex index = indexes.get(spec.table());
                if (index != null && index.version() == readVersion) {
                    List<String[]> located = new ArrayList<>(c.rows().size());
                    for (Object[] row : c.rows()) {
                        located.add(new String[] {order.key(row), c.result().fileOf(c.schema(), row)});
                    }
                    index.advance(c.result().version(), located);
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

    private KeyIndex index(LakeTable target, long version, Function<Object[], String> keyOf) {
        KeyIndex index = indexes.get(target.name());
        if (index == null || index.version() != version) {
            index = KeyIndex.build(target, version, keyOf);
            indexes.put(target.name(), index);
        }
        return index;
    }

    /** What rewriting one partition's touched files did. */
    private record PartitionWork(long[] counts, List<Object[]> elsewhere, List<String[]> located) {
    }

    /** Rewrites one partition's touched files with the winning versions; moved versions are returned. */
    private static PartitionWork rewritePartition(LakeTable target, long version, Set<String> files,
            Map<String, Object[]> winners, Set<String> placed, MergeOrder order, TableSchema schema,
            ClusterOrder cluster, Rewrite rewrite) {
        long[] counts = new long[4];
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> elsewhere = new ArrayList<>();
        for (TableReader.FileRows file : new TableReader(target).rowsIn(version, files)) {
            for (Object[] existing : file.rows()) {
                String key = order.key(existing);
                Object[] change = winners.get(key);
                if (change != null && placed.add(key) && order.compare(change, existing) > 0) {
                    counts[order.isDelete(change) ? 2 : 1]++;
                    boolean samePartition = RewriteResult.partitionOf(schema, change)
                            .equals(RewriteResult.partitionOf(schema, existing));
                    (samePartition ? rows : elsewhere).add(change); // one file per partition per merge
                } else {
                    counts[3] += change != null ? 1 : 0;
                    rows.add(existing);
                }
            }
        }
        List<String[]> located = new ArrayList<>();
        write(rewrite, schema, rows, cluster, order, located);
        return new PartitionWork(counts, elsewhere, located);
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while merging", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Writes one batch of the rewrite (sorted if the pipeline clusters) and notes where each key went. */
    private static void write(Rewrite rewrite, TableSchema schema, List<Object[]> rows, ClusterOrder cluster,
            MergeOrder order, List<String[]> located) {
        if (rows.isEmpty()) {
            return;
        }
        if (cluster != null) {
            rows.sort(cluster);
        }
        Map<List<Object>, String> files = rewrite.write(RowBatch.of(schema, rows));
        for (Object[] row : rows) {
            located.add(new String[] {order.key(row), files.get(RewriteResult.partitionOf(schema, row))});
        }
    }
}
