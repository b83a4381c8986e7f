package io.hybridlake.stream;

/**
 * What one batch became: counts per outcome, and whether it was a replay skipped as a whole.
 * received = refined + filtered + late + rejected (duplicates included) + tombstones.
 */
public record BatchOutcome(String topic, int partition, long lastOffset, int received, int refined, int filtered,
        int late, int rejected, int duplicates, int tombstones, int windowsUpdated, boolean replaySkipped) {

    static BatchOutcome skipped(EventBatch b) {
        return new BatchOutcome(b.topic(), b.partition(), b.lastOffset(), b.records().size(), 0, 0, 0, 0, 0, 0, 0, true);
    }

    static BatchOutcome of(DecodedBatch d, int windowsUpdated, boolean replaySkipped) {
        EventBatch b = d.batch;
        return new BatchOutcome(b.topic(), b.partition(), b.lastOffset(), b.records().size(), d.refined, d.filtered,
                d.late, d.rejected, d.duplicates, d.tombstones, windowsUpdated, replaySkipped);
    }
}
