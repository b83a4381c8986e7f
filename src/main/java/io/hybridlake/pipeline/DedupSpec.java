package io.hybridlake.pipeline;

import java.time.Duration;

/**
 * Drop re-sent events: an event whose {@code column} value and event time were already accepted is a
 * duplicate (sent to {@code _rejected} with the first occurrence named) while the first occurrence's
 * event time is within {@code horizon} of the watermark. The horizon is at least the allowed
 * lateness, so a duplicate arriving after the first occurrence is forgotten is late anyway.
 */
public record DedupSpec(String column, Duration horizon) {
    public long horizonMicros() {
        return horizon.toNanos() / 1000;
    }
}
