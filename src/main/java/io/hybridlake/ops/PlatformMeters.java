package io.hybridlake.ops;

import io.hybridlake.batch.BatchRuns;
import io.hybridlake.lake.DataFile;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.StorageCalls;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.runtime.HybridlakeConfig;
import io.hybridlake.stream.PipelineStates;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The seed's key metrics as Micrometer meters (Prometheus at {@code /q/metrics}; Application Insights
 * on Azure through the same registry): stream counters, freshness and batch-duration percentiles,
 * per-stage time; consumer lag and watermark delay per source partition; per batch job the last run,
 * duration, records and status; per lake table the version, files and small files. Lag, watermarks
 * and table figures are refreshed on a timer (they cost broker and log reads), the rest on scrape.
 */
@ApplicationScoped
public class PlatformMeters {
    private static final Logger LOG = Logger.getLogger(PlatformMeters.class);

    @Inject
    StreamMetrics metrics;

    @Inject
    PipelineCatalog catalog;

    @Inject
    PipelineStates pipelineStates;

    @Inject
    Lake lake;

    @Inject
    BatchRuns batchRuns;

    @Inject
    Admin admin;

    @Inject
    StreamPath streamPath;

    @Inject
    HybridlakeConfig config;

    @Inject
    MeterRegistry registry;

    private MultiGauge lag;
    private MultiGauge watermarkDelay;
    private MultiGauge tableVersion;
    private MultiGauge tableFiles;
    private MultiGauge smallFiles;
    /** Per source partition: lag at the last refresh (the operations health check and dashboard read it). */
    private final Map<String, Long> lagBySource = new ConcurrentHashMap<>();
    /** Per source partition: now minus its watermark, seconds, at the last refresh. */
    private final Map<String, Double> watermarkDelayBySource = new ConcurrentHashMap<>();
    /** Per lake table: version, files, small files at the last refresh. */
    private final Map<String, long[]> tableStats = new ConcurrentHashMap<>();

    // Read through methods: other beans hold a client proxy, whose own fields are never filled.
    Map<String, Long> lagBySource() {
        return lagBySource;
    }

    Map<String, Double> watermarkDelayBySource() {
        return watermarkDelayBySource;
    }

    Map<String, long[]> tableStats() {
        return tableStats;
    }

    void bind(@Observes StartupEvent start) {
        StreamMetrics m = metrics;
        Map<String, LongAdder> outcomes = Map.of("received", m.received, "refined", m.refined, "filtered", m.filtered,
                "rejected", m.rejected, "late", m.late, "duplicate", m.duplicates, "tombstone", m.tombstones,
                "replay_skipped", m.replaySkipped);
        outcomes.forEach((outcome, adder) -> FunctionCounter.builder("hybridlake.stream.events", adder, LongAdder::sum)
                .tag("outcome", outcome).description("Events by what the stream path did with them").register(registry));
        FunctionCounter.builder("hybridlake.stream.batches", m.batches, LongAdder::sum).register(registry);
        Map<String, LongAdder> stages = Map.of("decode", m.decodeNanos, "rejected_commit", m.rejectedCommitNanos,
                "refined_commit", m.refinedCommitNanos, "windows", m.windowNanos, "window_write", m.windowWriteNanos,
                "raw_commit", m.rawCommitNanos);
        stages.forEach((stage, adder) -> FunctionCounter.builder("hybridlake.stream.stage.seconds", adder,
                a -> a.sum() / 1e9).tag("stage", stage).description("Time spent per stage of the stream path")
                .register(registry));
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            Gauge.builder("hybridlake.stream.freshness.seconds", m.freshness, h -> h.percentile(q) / 1000.0)
                    .tag("quantile", Double.toString(q))
                    .description("Producer timestamp to visible in tables and cache (end-to-end latency)").register(registry);
            Gauge.builder("hybridlake.stream.batch.duration.seconds", m.batchDuration, h -> h.percentile(q) / 1000.0)
                    .tag("quantile", Double.toString(q)).register(registry);
        }
        for (var spec : catalog.all()) {
            String table = spec.table();
            // Live gauges: a paused or held pipeline shows at the next scrape, not the next refresh.
            Gauge.builder("hybridlake.stream.pipeline.up", pipelineStates, s -> s.of(table) == null
                    || s.of(table).healthy() ? 1 : 0).tag("table", table)
                    .description("1 while the pipeline's consumer runs; 0 while it is paused after failures or holds "
                            + "partitions whose source went backwards").register(registry);
            Gauge.builder("hybridlake.stream.pipeline.failed.attempts", pipelineStates, s -> s.of(table) == null
                    ? 0 : s.of(table).failedAttempts()).tag("table", table).register(registry);
            Gauge.builder("hybridlake.stream.partitions.held", pipelineStates, s -> s.of(table) == null
                    ? 0 : s.of(table).regressed().size()).tag("table", table).register(registry);
        }
        lag = MultiGauge.builder("hybridlake.stream.consumer.lag").description("Events in the broker not yet "
                + "committed to the lake, per source partition").register(registry);
        watermarkDelay = MultiGauge.builder("hybridlake.stream.watermark.delay.seconds")
                .description("Now minus the source partition's watermark").register(registry);
        tableVersion = MultiGauge.builder("hybridlake.lake.table.version").register(registry);
        tableFiles = MultiGauge.builder("hybridlake.lake.table.files").register(registry);
        smallFiles = MultiGauge.builder("hybridlake.lake.table.small.files")
                .description("Files under hybridlake.batch.small-file-bytes (compaction candidates)").register(registry);
        refresh();
    }

    private final Map<String, Boolean> storageCallsBound = new ConcurrentHashMap<>();

    /** Registers the counter of a storage operation the first time the lake makes it. */
    private void bindStorageCall(String operation) {
        if (storageCallsBound.putIfAbsent(operation, true) == null) {
            StorageCalls calls = lake.storageCalls();
            FunctionCounter.builder("hybridlake.storage.calls", calls, c -> c.count(operation)).tag("operation", operation)
                    .description("Requests sent to the lake's storage service (ADLS: each is a round trip and a "
                            + "billed transaction)").register(registry);
        }
    }

    /** Registers the meters of a batch job the first time it is seen. */
    private final Map<String, Boolean> jobsBound = new ConcurrentHashMap<>();

    private void bindJob(String name, BatchRuns.Job job) {
        if (jobsBound.putIfAbsent(name, true) != null) {
            return;
        }
        Tags tags = Tags.of("job", name);
        Gauge.builder("hybridlake.batch.last.run.timestamp.seconds", job.lastStartedMillis, a -> a.get() / 1000.0)
                .tags(tags).register(registry);
        Gauge.builder("hybridlake.batch.last.success.timestamp.seconds", job.lastSucceededMillis, a -> a.get() / 1000.0)
                .tags(tags).register(registry);
        Gauge.builder("hybridlake.batch.last.duration.seconds", job.lastDurationMillis, a -> a.get() / 1000.0)
                .tags(tags).register(registry);
        Gauge.builder("hybridlake.batch.last.records", job.lastRecords, a -> a.get()).tags(tags).register(registry);
        Gauge.builder("hybridlake.batch.last.status", job, j -> j.lastOk ? 1 : 0).tags(tags)
                .description("1: the last run succeeded, 0: it failed").register(registry);
        FunctionCounter.builder("hybridlake.batch.runs", job.runs, LongAdder::sum).tags(tags).register(registry);
        FunctionCounter.builder("hybridlake.batch.failures", job.failures, LongAdder::sum).tags(tags).register(registry);
        FunctionCounter.builder("hybridlake.batch.records", job.records, LongAdder::sum).tags(tags)
                .description("Records processed (rate per hour: records/hour)").register(registry);
        FunctionCounter.builder("hybridlake.batch.seconds", job.millis, a -> a.sum() / 1000.0).tags(tags).register(registry);
    }

    @Scheduled(every = "${hybridlake.ops.metrics-refresh-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (lag == null) {
            return; // before start-up bound the meters
        }
        batchRuns.jobs().forEach(this::bindJob);
        lake.storageCalls().snapshot().keySet().forEach(this::bindStorageCall);
        try {
            refreshStream();
            refreshTables();
        } catch (RuntimeException e) {
            LOG.warnf("metrics refresh failed: %s", e.getMessage());
        }
    }

    private void refreshStream() {
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        List<MultiGauge.Row<?>> delays = new ArrayList<>();
        long nowMicros = System.currentTimeMillis() * 1000;
        for (PipelineSpec spec : catalog.all()) {
            String topic = catalog.topicOf(spec);
            try {
                var description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(5, TimeUnit.SECONDS).get(topic);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                for (var e : ends.entrySet()) {
                    long next = Math.max(0, streamPath.nextOffset(topic, e.getKey().partition()));
                    long behind = Math.max(0, e.getValue().offset() - next);
                    String source = topic + ":" + e.getKey().partition();
                    lagBySource.put(source, behind);
                    lags.add(MultiGauge.Row.of(Tags.of("table", spec.table(), "partition",
                            Integer.toString(e.getKey().partition())), behind));
                }
            } catch (Exception e) {
                LOG.debugf("lag of %s unknown: %s", topic, e.getMessage());
            }
            streamPath.watermarks(spec.table()).forEach((source, watermark) -> {
                double delay = Math.max(0, nowMicros - watermark) / 1e6;
                watermarkDelayBySource.put(source, delay);
                delays.add(MultiGauge.Row.of(Tags.of("table", spec.table(), "source", source), delay));
            });
        }
        lag.register(lags, true);
        watermarkDelay.register(delays, true);
    }

    private void refreshTables() {
        List<MultiGauge.Row<?>> versions = new ArrayList<>();
        List<MultiGauge.Row<?>> files = new ArrayList<>();
        List<MultiGauge.Row<?>> small = new ArrayList<>();
        long smallBytes = config.batch().smallFileBytes();
        for (PipelineSpec spec : catalog.all()) {
            for (TablePath path : List.of(TablePath.rawStream(spec.table()), TablePath.refinedStream(spec.table()),
                    TablePath.rawBatch(spec.table()), TablePath.refinedBatch(spec.table()), TablePath.merged(spec.table()))) {
                LakeTable table = lake.table(path);
                long version = table.latestVersion();
                if (version < 0) {
                    continue; // not created yet
                }
                List<DataFile> all = new TableFiles(table).files(version);
                Tags tags = Tags.of("table", path.relative());
                long smallCount = all.stream().filter(f -> f.sizeBytes() < smallBytes).count();
                tableStats.put(path.relative(), new long[] {version, all.size(), smallCount});
                versions.add(MultiGauge.Row.of(tags, version));
                files.add(MultiGauge.Row.of(tags, all.size()));
                small.add(MultiGauge.Row.of(tags, smallCount));
            }
        }
        tableVersion.register(versions, true);
        tableFiles.register(files, true);
        smallFiles.register(small, true);
    }
}
