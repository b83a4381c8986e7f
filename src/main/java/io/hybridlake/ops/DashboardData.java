package io.hybridlake.ops;

import io.hybridlake.batch.BatchRuns;
import io.hybridlake.stream.StreamMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the operational dashboard ({@code /dashboard/}) plots, as one
 * JSON document: stream counters and freshness percentiles, lag and watermark delay per partition,
 * batch jobs, lake tables, and the processing cost estimate. The page polls it and keeps the history.
 */
@ApplicationScoped
public class DashboardData {
    /**
     * Cost model (USD, list prices to adjust for a region/contract): Azure Functions consumption
     * GB-seconds and executions, Event Hubs ingress events. Compute time is the stream path's measured
     * stage time plus batch-job time, at {@link #MEMORY_GB} per instance.
     */
    static final double GB_SECOND = 0.000016;
    static final double PER_MILLION_EXECUTIONS = 0.20;
    static final double PER_MILLION_INGRESS_EVENTS = 0.028;
    static final double MEMORY_GB = 2.0;

    @Inject
    StreamMetrics metrics;

    @Inject
    BatchRuns batchRuns;

    @Inject
    PlatformMeters meters;

    private final long startedMillis = System.currentTimeMillis();

    /** The dashboard's document (served by {@code triggers/DashboardRoute}). */
    public Map<String, Object> snapshot() {
        StreamMetrics m = metrics;
        Map<String, Object> out = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        out.put("time", now);
        out.put("uptimeSeconds", (now - startedMillis) / 1000);
        Map<String, Object> stream = new LinkedHashMap<>();
        stream.put("received", m.received.sum());
        stream.put("refined", m.refined.sum());
        stream.put("filtered", m.filtered.sum());
        stream.put("rejected", m.rejected.sum());
        stream.put("late", m.late.sum());
        stream.put("duplicates", m.duplicates.sum());
        stream.put("batches", m.batches.sum());
        stream.put("freshnessMs", Map.of("p50", m.freshness.percentile(0.5), "p95", m.freshness.percentile(0.95),
                "p99", m.freshness.percentile(0.99)));
        out.put("stream", stream);
        out.put("lag", new TreeMap<>(meters.lagBySource()));
        out.put("watermarkDelaySeconds", new TreeMap<>(meters.watermarkDelayBySource()));
        Map<String, Object> batch = new TreeMap<>();
        double batchSeconds = 0;
        for (Map.Entry<String, BatchRuns.Job> e : batchRuns.jobs().entrySet()) {
            BatchRuns.Job j = e.getValue();
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("lastRun", j.lastStartedMillis.get());
            job.put("lastDurationMs", j.lastDurationMillis.get());
            job.put("lastRecords", j.lastRecords.get());
            job.put("ok", j.lastOk);
            job.put("runs", j.runs.sum());
            job.put("failures", j.failures.sum());
            job.put("records", j.records.sum());
            batch.put(e.getKey(), job);
            batchSeconds += j.millis.sum() / 1000.0;
        }
        out.put("batch", batch);
        Map<String, Object> tables = new TreeMap<>();
        meters.tableStats().forEach((t, v) -> tables.put(t, Map.of("version", v[0], "files", v[1], "smallFiles", v[2])));
        out.put("tables", tables);
        double streamSeconds = (m.decodeNanos.sum() + m.rejectedCommitNanos.sum() + m.refinedCommitNanos.sum()
                + m.windowNanos.sum() + m.rawCommitNanos.sum()) / 1e9;
        double compute = (streamSeconds + batchSeconds) * MEMORY_GB * GB_SECOND;
        double executions = m.batches.sum() * PER_MILLION_EXECUTIONS / 1e6;
        double ingress = m.received.sum() * PER_MILLION_INGRESS_EVENTS / 1e6;
        double total = compute + executions + ingress;
        double hours = Math.max(1.0 / 60, (now - startedMillis) / 3_600_000.0);
        out.put("cost", Map.of("computeUsd", compute, "executionsUsd", executions, "ingressUsd", ingress,
                "totalUsd", total, "perHourUsd", total / hours, "perMillionEventsUsd",
                m.received.sum() == 0 ? 0 : total / m.received.sum() * 1e6));
        return out;
    }
}
