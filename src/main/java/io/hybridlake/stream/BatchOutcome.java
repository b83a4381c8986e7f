package io.hybridlake.stream;

/** What one batch became: counts per outcome, and whether it was a replay skipped as a whole. */
public record BatchOutcome(String topic, int partition, long lastOffset, int received, int refined, int filtered,
        int rejected, int windowsUpdated, boolean replaySkipped) {
}
