package io.hybridlake.stream;

import io.hybridlake.lake.StorageCalls;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stream path's counters since start (or the last reset), each partition's watermark, freshness
 * and stage-time figures, and the storage calls made: what the API's streamStatus answers.
 */
public final class StreamStatus {
    private StreamStatus() {
    }

    public static Map<String, Object> of(StreamPath stream, PipelineCatalog catalog, StorageCalls storageCalls) {
        StreamMetrics m = stream.metrics();
        Map<String, Object> watermarks = new TreeMap<>();
        for (String table : catalog.all().stream().map(PipelineSpec::table).toList()) {
            Map<String, String> perPartition = new TreeMap<>();
            stream.watermarks(table).forEach((source, micros) -> perPartition.put(source,
                    Instant.EPOCH.plusNanos(micros * 1000).toString()));
            watermarks.put(table, perPartition);
        }
        return Map.ofEntries(
                Map.entry("batches", m.batches.sum()),
                Map.entry("received", m.received.sum()),
                Map.entry("refined", m.refined.sum()),
                Map.entry("filtered", m.filtered.sum()),
                Map.entry("late", m.late.sum()),
                Map.entry("rejected", m.rejected.sum()),
                Map.entry("duplicates", m.duplicates.sum()),
                Map.entry("tombstones", m.tombstones.sum()),
                Map.entry("replaySkipped", m.replaySkipped.sum()),
                Map.entry("storageCalls", storageCalls.snapshot()),
                Map.entry("watermarks", watermarks),
                Map.entry("freshnessMillis", Map.of("p50", m.freshness.percentile(0.50), "p99",
                        m.freshness.percentile(0.99), "p999", m.freshness.percentile(0.999), "samples",
                        m.freshness.count())),
                Map.entry("batchMillis", Map.of("p50", m.batchDuration.percentile(0.50), "p99",
                        m.batchDuration.percentile(0.99))),
                Map.entry("stageMillis", Map.of("decode", m.decodeNanos.sum() / 1_000_000, "rejectedCommit",
                        m.rejectedCommitNanos.sum() / 1_000_000, "refinedCommit", m.refinedCommitNanos.sum() / 1_000_000,
                        "windows", m.windowNanos.sum() / 1_000_000, "windowWrite", m.windowWriteNanos.sum() / 1_000_000,
                        "rawCommit", m.rawCommitNanos.sum() / 1_000_000)));
    }
}
