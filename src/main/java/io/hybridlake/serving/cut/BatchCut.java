package io.hybridlake.serving.cut;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.LayerMarks;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.EventTimePolicy;
import io.hybridlake.pipeline.PipelineSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a pipeline's batch view ends and the speed layer takes over (docs/DESIGN.md §6a): the merged
 * table's version {@code mergedVersion}, the refined/stream version it consumed, and the batch
 * watermark {@code watermarkMicros}: every stream row with an earlier event time that refined/stream
 * holds (up to {@code streamVersion}, read after the merged version) is in the merged version. Rows
 * at or after it are answered from the speed layer. It follows from each source partition's newest
 * event time committed with the consumed version: a later on-time event of that partition cannot be
 * older than that minus the out-of-order tolerance and the allowed lateness (older ones go to _late);
 * a partition the merge has not seen bounds it by its oldest on-time event.
 */
public record BatchCut(String table, long mergedVersion, long streamVersionConsumed, long streamVersion,
        long watermarkMicros, long latestStreamEventMicros) {
    /** Nothing is from the batch view (no bound: unbounded lateness, or a partition with no record). */
    public static final long NONE = Long.MIN_VALUE;
    /** Everything is from the batch view (the pipeline has no stream rows). */
    public static final long ALL = Long.MAX_VALUE;

    public static BatchCut of(Lake lake, PipelineSpec spec) {
        String table = spec.table();
        LakeTable merged = lake.table(TablePath.merged(table));
        long v = merged.latestVersion(); // -1: no table (one log read, not two)
        long consumed = v < 0 ? -1 : merged.transactionVersionAt(v, LayerMarks.mergeConsumerId(TablePath.refinedStream(table)));
        LakeTable stream = lake.table(TablePath.refinedStream(table));
        long latest = stream.latestVersion();
        if (latest < 0) {
            return new BatchCut(table, v, consumed, latest, ALL, NONE);
        }
        Map<String, String> now = stream.domainsAt(latest, "hybridlake."); // both kinds from one snapshot load
        Map<String, String> maxNow = withPrefix(now, LayerMarks.MAX_EVENT_TIME_DOMAIN);
        Map<String, String> minNow = withPrefix(now, LayerMarks.MIN_EVENT_TIME_DOMAIN);
        Map<String, String> maxConsumed = consumed < 0 ? Map.of() : stream.domainsAt(consumed, LayerMarks.MAX_EVENT_TIME_DOMAIN);
        EventTimePolicy timing = spec.timing();
        long watermark = ALL;
        long newest = NONE;
        for (Map.Entry<String, String> partition : maxNow.entrySet()) {
            String source = partition.getKey().substring(LayerMarks.MAX_EVENT_TIME_DOMAIN.length());
            newest = Math.max(newest, Long.parseLong(partition.getValue()));
            String maxThen = maxConsumed.get(partition.getKey());
            long bound;
            if (maxThen != null) {
                bound = timing.allowedLateness() == null ? NONE
                        : timing.watermark(Long.parseLong(maxThen)) - timing.allowedLatenessMicros();
            } else {
                String min = minNow.get(LayerMarks.MIN_EVENT_TIME_DOMAIN + source);
                bound = min == null ? NONE : Long.parseLong(min);
            }
            watermark = Math.min(watermark, bound);
        }
        return new BatchCut(table, v, consumed, latest, maxNow.isEmpty() ? ALL : watermark, newest);
    }

    private static Map<String, String> withPrefix(Map<String, String> domains, String prefix) {
        Map<String, String> out = new TreeMap<>(domains);
        out.keySet().removeIf(name -> !name.startsWith(prefix));
        return out;
    }

    /** The watermark rounded down to a multiple of {@code sizeMicros} (epoch-aligned windows never straddle it). */
    public long alignedTo(long sizeMicros) {
        if (watermarkMicros == NONE || watermarkMicros == ALL) {
            return watermarkMicros;
        }
        return Math.floorDiv(watermarkMicros, sizeMicros) * sizeMicros;
    }
}
