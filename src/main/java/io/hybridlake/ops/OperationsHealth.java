package io.hybridlake.ops;

import io.hybridlake.batch.BatchRuns;
import io.hybridlake.pipeline.Durations;
import io.hybridlake.runtime.HybridlakeConfig;
import io.hybridlake.stream.StreamMetrics;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Degraded, not dead: the health group {@code operations} ({@code /q/health/group/operations}) goes
 * DOWN when the stream is stale (events waiting in the broker, no batch completed for
 * {@code hybridlake.ops.stale-after}) or a batch job missed its schedule (no successful run for three
 * intervals). Readiness (traffic) and liveness (restarts) are not affected: a restart would not help.
 */
@ApplicationScoped
public class OperationsHealth {
    @Inject
    StreamMetrics metrics;

    @Inject
    BatchRuns batchRuns;

    @Inject
    HybridlakeConfig config;

    @Inject
    PlatformMeters meters;

    private final long startedMillis = System.currentTimeMillis();
    private final AtomicLong lastBatches = new AtomicLong(-1);
    private final AtomicLong lastProgressMillis = new AtomicLong(System.currentTimeMillis());

    /** Notes when the stream last completed a batch (checked on the metrics' refresh timer). */
    @Scheduled(every = "${hybridlake.ops.metrics-refresh-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void track() {
        long batches = metrics.batches.sum();
        if (lastBatches.getAndSet(batches) != batches) {
            lastProgressMillis.set(System.currentTimeMillis());
        }
    }

    @Produces
    @HealthGroup("operations")
    HealthCheck streamProgress() {
        return () -> {
            long waiting = meters.lagBySource().values().stream().mapToLong(Long::longValue).sum();
            long idleMillis = System.currentTimeMillis() - lastProgressMillis.get();
            var builder = HealthCheckResponse.named("stream-progress").withData("lag", waiting)
                    .withData("sinceLastBatchSeconds", idleMillis / 1000);
            String stale = Degradation.staleStream(waiting, idleMillis, config.ops().staleAfter());
            if (stale != null) {
                return builder.down().withData("state", "degraded: " + stale + " " + lagDetail()).build();
            }
            return builder.up().build();
        };
    }

    private String lagDetail() {
        StringBuilder sb = new StringBuilder("(");
        for (Map.Entry<String, Long> e : meters.lagBySource().entrySet()) {
            if (e.getValue() > 0) {
                sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        return sb.append(')').toString();
    }

    @Produces
    @HealthGroup("operations")
    HealthCheck batchSchedule() {
        return () -> {
            var builder = HealthCheckResponse.named("batch-schedule");
            String late = missed("merge", config.batch().mergeEvery());
            if (late == null) {
                late = missed("compact", config.batch().compactEvery());
            }
            for (Map.Entry<String, BatchRuns.Job> j : batchRuns.jobs().entrySet()) {
                builder.withData(j.getKey(), j.getValue().lastOk ? "ok" : "failed: " + j.getValue().lastError);
            }
            return late == null ? builder.up().build() : builder.down().withData("state", "degraded: " + late).build();
        };
    }

    /** Why a timed job is behind its schedule, or null. */
    private String missed(String job, String every) {
        if (every == null || every.isBlank() || every.equalsIgnoreCase("off")) {
            return null;
        }
        BatchRuns.Job j = batchRuns.jobs().get(job);
        long since = j == null || j.lastSucceededMillis.get() == 0 ? startedMillis : j.lastSucceededMillis.get();
        return Degradation.missedSchedule(job, Durations.parse(every), since,
                System.currentTimeMillis(), j != null && !j.lastOk ? j.lastError : null);
    }
}
