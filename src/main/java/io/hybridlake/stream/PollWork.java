package io.hybridlake.stream;

import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableAppends;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.ZoneSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The parts of a poll that run beside the stream thread, on two helper threads: decoding the halves of
 * large partition batches, the rejected and late commits, computing the new window states. Tasks never
 * wait for each other, so the fixed pool cannot deadlock; a pool per stream path keeps one pipeline's
 * polls from queueing behind another's. With 2 cores this takes a replay's drain from one busy thread
 * to both (BENCHMARKS.md).
 */
final class PollWork {
    /** A partition's batch from this many records on is decoded in two halves, in parallel. */
    private static final int PARALLEL_DECODE_MIN = 4096;

    private final Lake lake;
    private final WindowUpdater windows;
    private final StreamMetrics metrics;
    private final ExecutorService helpers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "hybridlake-stream-helper");
        t.setDaemon(true);
        return t;
    });

    PollWork(Lake lake, WindowUpdater windows, StreamMetrics metrics) {
        this.lake = lake;
        this.windows = windows;
        this.metrics = metrics;
    }

    /** The batches decoded with {@code p}, in order. */
    List<DecodedBatch> decode(List<EventBatch> live, CompiledPipeline p) {
        // Decoding is a pure function of the record and the pipeline: the halves of each partition's
        // batch decode in parallel, the first on this thread once the others are handed out.
        List<EventBatch> pieces = new ArrayList<>();
        List<Integer> batchOf = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            EventBatch b = live.get(i);
            int n = b.records().size();
            if (n < PARALLEL_DECODE_MIN) {
                pieces.add(b);
                batchOf.add(i);
            } else {
                pieces.add(new EventBatch(b.topic(), b.partition(), b.records().subList(0, n / 2)));
                pieces.add(new EventBatch(b.topic(), b.partition(), b.records().subList(n / 2, n)));
                batchOf.add(i);
                batchOf.add(i);
            }
        }
        List<CompletableFuture<DecodedBatch>> others = new ArrayList<>();
        for (EventBatch piece : pieces.subList(1, pieces.size())) {
            others.add(CompletableFuture.supplyAsync(() -> DecodedBatch.decode(piece, p), helpers));
        }
        List<List<DecodedBatch>> parts = new ArrayList<>();
        live.forEach(b -> parts.add(new ArrayList<>()));
        parts.get(0).add(DecodedBatch.decode(pieces.get(0), p));
        for (int k = 1; k < pieces.size(); k++) {
            parts.get(batchOf.get(k)).add(join(others.get(k - 1)));
        }
        List<DecodedBatch> decoded = new ArrayList<>(live.size());
        for (int i = 0; i < live.size(); i++) {
            decoded.add(DecodedBatch.concat(live.get(i), parts.get(i)));
        }
        return decoded;
    }

    /**
     * Rejected and late, refined, and the window states; returns the number of windows changed. The
     * three lake commits are independent (each is exactly once by its own marks), so rejected and late
     * commit beside refined, and the new window states are computed meanwhile; they are written to the
     * cache only once refined has committed: the cache never reflects an event refined does not hold.
     */
    int commitDerivedTables(CompiledPipeline p, List<DecodedBatch> decoded, Map<String, Long> marks,
            Map<String, String> eventTimeMarks, long now, long t1) {
        String table = p.spec.table();
        CompletableFuture<Long> sideTables = CompletableFuture.supplyAsync(CommitLineage.carriedOver(() -> {
            long start = System.nanoTime();
            commitRejectedAndLate(p, decoded, marks, now);
            return System.nanoTime() - start;
        }), helpers);
        // One task per window definition (their windows are disjoint): the helpers take them as they come
        // free, and this thread takes what is left once refined has committed, instead of waiting.
        List<SharedTask<WindowUpdater.Changes>> windowChanges = new ArrayList<>();
        for (WindowUpdater.Plan plan : p.plans) {
            windowChanges.add(SharedTask.submit(() -> windows.changes(table, List.of(plan), decoded), helpers));
        }
        try {
            if (decoded.stream().anyMatch(d -> d.refined > 0)) {
                // Refined records each partition's newest event time too: with the version a merge consumed,
                // it bounds the event times refined can still receive (the batch watermark, serving.cut.BatchCut).
                new TableAppends(lake.table(TablePath.refinedStream(table))).appendExactlyOnce(p.refinedSchema, marks,
                        committed -> ZoneRows.refined(decoded, p, committed, now), eventTimeMarks);
            }
        } catch (RuntimeException e) {
            sideTables.handle((ok, failed) -> null).join(); // nothing of this poll runs on after it failed
            windowChanges.forEach(SharedTask::settle);
            throw e;
        }
        long t2 = System.nanoTime();
        List<WindowUpdater.Changes> changes = new ArrayList<>(windowChanges.size());
        windowChanges.forEach(task -> changes.add(task.result()));
        metrics.rejectedCommitNanos.add(join(sideTables));
        long t3 = System.nanoTime();
        int windowsUpdated = windows.write(WindowUpdater.Changes.all(changes), table, p.plans, decoded);
        metrics.refinedCommitNanos.add(t2 - t1);
        metrics.windowNanos.add(t3 - t2);
        metrics.windowWriteNanos.add(System.nanoTime() - t3);
        return windowsUpdated;
    }

    private void commitRejectedAndLate(CompiledPipeline p, List<DecodedBatch> decoded, Map<String, Long> marks, long now) {
        String table = p.spec.table();
        if (decoded.stream().anyMatch(d -> d.rejected > 0)) {
            new TableAppends(lake.table(TablePath.rejected(table)))
                    .appendExactlyOnce(ZoneSchemas.REJECTED, marks, committed -> ZoneRows.rejected(decoded, committed, now));
        }
        if (decoded.stream().anyMatch(d -> d.late > 0)) {
            new TableAppends(lake.table(TablePath.late(table))).appendExactlyOnce(p.lateSchema, marks,
                    committed -> ZoneRows.late(decoded, p, committed, now));
        }
    }

    /** A helper's result, or its failure as thrown by the helper. */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
