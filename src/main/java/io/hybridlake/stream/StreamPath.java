package io.hybridlake.stream;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.PreparedAppend;
import io.hybridlake.lake.TableAppends;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.NewFields;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.ZoneSchemas;
import io.hybridlake.serving.SpeedCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * The Kappa path for one batch of one source partition: decode, validate, apply rules, then commit
 * rejected → refined → window states → raw, each step exactly once (see docs/DESIGN.md §2–3). Holds no
 * state between batches beyond compiled pipelines: progress lives in the tables' transaction ids and
 * the cache's high-water marks, so any instance can process any batch.
 */
public final class StreamPath {
    /** Where rejected records of topics that have no pipeline go. */
    static final TablePath UNROUTED = new TablePath("_rejected/_unrouted");

    private final Lake lake;
    private final PipelineCatalog catalog;
    private final WindowUpdater windows;
    private final LongSupplier clock;
    private final SpeedCache cache;
    private final StreamMetrics metrics;
    private final int maxEventBytes;
    private final Map<String, CompiledPipeline> compiled = new ConcurrentHashMap<>();
    private final Deduplicator deduplicator;
    private final PipelineEvolution evolution;
    private final SourceOffsets offsets;
    /** Per table, per source partition: the newest event time committed (what this process has seen). */
    private final Map<String, Map<String, Long>> maxEventTimes = new ConcurrentHashMap<>();
    /** Held (shared) by every poll; taken exclusively by operations that must see the stream stand still. */
    private final ReentrantReadWriteLock running = new ReentrantReadWriteLock();
    /** Writes raw's Parquet files while the calling thread commits refined and the windows. */
    private final ExecutorService rawWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hybridlake-raw-writer");
        t.setDaemon(true);
        return t;
    });
    private final PollWork work;

    public StreamPath(Lake lake, PipelineCatalog catalog, SpeedCache cache, LongSupplier clockMillis,
            StreamMetrics metrics, int maxEventBytes) {
        this.lake = lake;
        this.catalog = catalog;
        this.cache = cache;
        this.windows = new WindowUpdater(cache, clockMillis);
        this.deduplicator = new Deduplicator(cache);
        this.clock = clockMillis;
        this.metrics = metrics;
        this.maxEventBytes = maxEventBytes;
        this.evolution = new PipelineEvolution(lake, catalog);
        this.offsets = new SourceOffsets(lake, catalog);
        this.work = new PollWork(lake, windows, metrics);
    }

    public StreamMetrics metrics() {
        return metrics;
    }

    private CompiledPipeline compile(PipelineSpec spec) {
        return compiled.compute(spec.table(), (t, known) -> known != null && known.spec == spec ? known
                : new CompiledPipeline(spec, maxEventBytes)); // a new spec: the pipeline evolved
    }

    /**
     * A table's watermark per source partition this process has processed (newest event time minus
     * the out-of-order tolerance), micros.
     */
    public Map<String, Long> watermarks(String table) {
        CompiledPipeline p = compiled.get(table);
        Map<String, Long> out = new TreeMap<>();
        if (p != null) {
            maxEventTimes.getOrDefault(table, Map.of()).forEach((source, max) -> out.put(source,
                    p.spec.timing().watermark(max)));
        }
        return out;
    }

    /**
     * Resume position for a source partition, as a broker offset: one past the last offset whose batch
     * completed, or -1 if none. Reads the log (another instance may have moved the partition on).
     */
    public long nextOffset(String topic, int partition) {
        return offsets.next(topic, partition);
    }

    /**
     * Makes {@code table}'s partition resume at broker offset {@code brokerOffset}, recorded in raw/stream's
     * history (a commit with the new offset shift and the operator's reason as lineage), with the stream
     * paused on this instance. The lake's marks do not move: the broker's offsets are mapped onto the
     * lake's sequence, so nothing already processed is touched and nothing new is skipped.
     */
    public OffsetReset resetOffsets(String table, int partition, long brokerOffset, String reason) {
        running.writeLock().lock();
        try {
            return offsets.reset(table, partition, brokerOffset, reason);
        } finally {
            running.writeLock().unlock();
        }
    }

    /** One batch of one partition (tests, re-deliveries). */
    public BatchOutcome process(EventBatch batch) {
        return process(List.of(batch)).get(0);
    }

    /**
     * One poll: batches of several partitions (and topics). Each table gets one commit for all its
     * partitions, carrying one transaction id per partition, so the fixed cost of a Delta commit is
     * paid once per poll, not once per partition. Returns one outcome per batch, in order.
     */
    public List<BatchOutcome> process(List<EventBatch> batches) {
        running.readLock().lock();
        try {
            return processRunning(batches);
        } finally {
            running.readLock().unlock();
        }
    }

    /**
     * Recomputes {@code table}'s windows in the speed cache from its refined/stream rows, with this
     * process's stream path paused meanwhile (polls wait, nothing is lost): for a cache that was lost,
     * restored from an old copy, or written by a bug. Other instances sharing the cache must be stopped.
     */
    public SpeedLayerRebuild.Result rebuildSpeedLayer(String table) {
        running.writeLock().lock();
        try {
            return rebuildPaused(table);
        } finally {
            running.writeLock().unlock();
        }
    }

    /**
     * Kappa reprocessing of {@code table}'s stream output from {@code fromOffsets} (per partition),
     * with this process's stream path paused; see {@link Replay}.
     */
    public Replay.Result replay(String table, Map<Integer, Long> fromOffsets, Replay.RecordSource source) {
        running.writeLock().lock();
        try {
            PipelineSpec spec = catalog.table(table);
            LakeTable raw = lake.table(TablePath.rawStream(spec.table()));
            for (int partition : fromOffsets.keySet()) {
                if (SourceOffsets.shift(raw, EventBatch.source(catalog.topicOf(spec), partition)) != 0) {
                    throw new HybridlakeException.BadRequest(table, "partition " + partition + " of "
                            + table + " had its offsets reset (the broker's offsets no longer equal the lake's): replay "
                            + "reads the broker by offset and cannot reach events from before the reset");
                }
            }
            return new Replay(lake, this, spec.merge().mode()).run(spec.table(), catalog.topicOf(spec), fromOffsets, source);
        } finally {
            running.writeLock().unlock();
        }
    }

    /** {@link #process} for a caller holding the pause. */
    List<BatchOutcome> processPaused(List<EventBatch> batches) {
        return processRunning(batches);
    }

    /** The rebuild, for a caller holding the pause, with the pipeline as it is now (a replay may have evolved it). */
    SpeedLayerRebuild.Result rebuildPaused(String table) {
        return new SpeedLayerRebuild(lake, cache, windows).rebuild(compile(catalog.table(table)));
    }

    private List<BatchOutcome> processRunning(List<EventBatch> brokerBatches) {
        long started = clock.getAsLong();
        List<EventBatch> batches = brokerBatches.stream().map(offsets::inLakeOffsets).toList();
        Map<String, List<EventBatch>> byTopic = new LinkedHashMap<>();
        for (EventBatch b : batches) {
            if (!b.records().isEmpty()) {
                byTopic.computeIfAbsent(b.topic(), t -> new ArrayList<>()).add(b);
            }
        }
        Map<EventBatch, BatchOutcome> outcomes = new IdentityHashMap<>(); // records compare by value: identity is meant
        for (Map.Entry<String, List<EventBatch>> topic : byTopic.entrySet()) {
            Optional<PipelineSpec> pipeline = catalog.forTopic(topic.getKey());
            Map<String, String> lineage = new HashMap<>();
            lineage.put(CommitLineage.JOB, "stream");
            lineage.put(CommitLineage.SOURCE, EventBatch.ranges(topic.getValue()));
            pipeline.ifPresent(spec -> lineage.put(CommitLineage.PIPELINE, spec.table()));
            CommitLineage.during(lineage, () -> pipeline.ifPresentOrElse(
                    spec -> processPipeline(topic.getValue(), compile(spec), outcomes),
                    () -> processUnrouted(topic.getValue(), outcomes)));
        }
        long now = clock.getAsLong();
        List<BatchOutcome> result = new ArrayList<>(batches.size());
        for (EventBatch b : batches) {
            BatchOutcome o = outcomes.get(b);
            if (o == null) { // an empty batch
                o = new BatchOutcome(b.topic(), b.partition(), -1, 0, 0, 0, 0, 0, 0, 0, 0, false);
            }
            if (!o.replaySkipped()) {
                for (SourceRecord r : b.records()) {
                    metrics.freshness.record(now - r.timestampMillis());
                }
            }
            metrics.count(o);
            result.add(o);
        }
        metrics.batchDuration.record(now - started);
        return result;
    }

    private void processPipeline(List<EventBatch> parts, CompiledPipeline p, Map<EventBatch, BatchOutcome> outcomes) {
        String table = p.spec.table();
        LakeTable raw = lake.table(TablePath.rawStream(table));
        List<EventBatch> live = new ArrayList<>();
        for (EventBatch b : parts) {
            if (raw.knownTransactionVersion(b.appId()) >= b.lastOffset()) {
                outcomes.put(b, BatchOutcome.skipped(b));
            } else {
                live.add(b);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<DecodedBatch> decoded = decodeEvolving(live, p);
        p = compile(catalog.table(table)); // evolved, if the batch brought new fields
        Map<String, String> eventTimeMarks = LatenessMarks.classify(raw, decoded, p.spec.timing());
        if (p.dedupColumn >= 0) {
            deduplicator.apply(p, decoded);
        }
        Map<String, Long> marks = new LinkedHashMap<>();
        live.forEach(b -> marks.put(b.appId(), b.lastOffset()));
        long now = clock.getAsLong();
        long t1 = System.nanoTime();
        // Raw's files are written meanwhile on another thread; raw still commits last (the completion
        // record), together with each partition's newest event time (the next batch's lateness reference).
        CompletableFuture<PreparedAppend> rawFiles = CompletableFuture.supplyAsync(() -> new TableAppends(raw).prepareAppend(
                ZoneSchemas.RAW, marks, committed -> ZoneRows.raw(live, committed), eventTimeMarks), rawWriter);
        int windowsUpdated;
        try {
            windowsUpdated = work.commitDerivedTables(p, decoded, marks, eventTimeMarks, now, t1);
        } catch (RuntimeException e) {
            rawFiles.handle((ok, failed) -> null).join(); // let the abandoned write finish before a retry starts
            throw e;
        }
        long t4 = System.nanoTime();
        PollWork.join(rawFiles).commit();
        long t5 = System.nanoTime();
        metrics.decodeNanos.add(t1 - t0);
        metrics.rawCommitNanos.add(t5 - t4);
        Map<String, Long> tableMax = maxEventTimes.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        for (DecodedBatch d : decoded) {
            outcomes.put(d.batch, BatchOutcome.of(d, windowsUpdated, false));
            if (d.maxEventTime != DecodedBatch.NO_TIME) {
                tableMax.merge(d.batch.source(), d.maxEventTime, Math::max);
            }
        }
        if (p.dedupColumn >= 0) {
            long oldest = tableMax.values().stream().mapToLong(Long::longValue).min().orElse(DecodedBatch.NO_TIME);
            deduplicator.expire(p, p.spec.timing().watermark(oldest), now);
        }
    }

    /**
     * Decodes the batches; when valid events carry fields the pipeline adds as columns, the tables are
     * evolved first and the batches decoded again with the evolved pipeline, so the new values are kept.
     */
    private List<DecodedBatch> decodeEvolving(List<EventBatch> live, CompiledPipeline p) {
        List<DecodedBatch> decoded = work.decode(live, p);
        NewFields found = new NewFields();
        decoded.forEach(d -> found.addAll(d.newFields));
        if (found.isEmpty()) {
            return decoded;
        }
        PipelineSpec evolved = evolution.addFields(p.spec.table(), found.types());
        return evolved == p.spec ? decoded : decodeEvolving(live, compile(evolved));
    }

    private void processUnrouted(List<EventBatch> parts, Map<EventBatch, BatchOutcome> outcomes) {
        List<DecodedBatch> decoded = parts.stream().map(b -> DecodedBatch.rejectAll(b, "no pipeline reads topic '"
                + b.topic() + "'; define one (pipelines/*.yaml) or stop producing to this topic")).toList();
        Map<String, Long> marks = new LinkedHashMap<>();
        parts.forEach(b -> marks.put(b.appId(), b.lastOffset()));
        long now = clock.getAsLong();
        var result = new TableAppends(lake.table(UNROUTED)).appendExactlyOnce(ZoneSchemas.REJECTED, marks,
                committed -> ZoneRows.rejected(decoded, committed, now));
        for (DecodedBatch d : decoded) {
            outcomes.put(d.batch, BatchOutcome.of(d, 0, !result.committed()));
        }
    }
}
