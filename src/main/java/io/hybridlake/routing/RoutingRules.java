package io.hybridlake.routing;

import java.time.Duration;

/**
 * Pattern 3's routing rules, in the order they are tried (defaults from the seed's processing
 * guidelines): a latency requirement under {@code streamLatencyBelow} goes to the stream path; more
 * than {@code batchRecordsAbove} records, or a latency requirement of {@code batchLatencyAtLeast} or
 * more, to the batch path; an exploratory job, or one of at most {@code adhocRecordsAtMost} records, to
 * ad-hoc SQL; anything else to the batch path.
 */
public record RoutingRules(Duration streamLatencyBelow, long batchRecordsAbove, Duration batchLatencyAtLeast,
        long adhocRecordsAtMost) {
    public static final RoutingRules SEED_DEFAULTS = new RoutingRules(Duration.ofMinutes(1), 1_000_000,
            Duration.ofHours(1), 100_000);
}
