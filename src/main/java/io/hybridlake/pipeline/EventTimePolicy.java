package io.hybridlake.pipeline;

import java.time.Duration;

/**
 * When an event counts as late. Each source partition's watermark is the newest event time seen in
 * it minus {@code outOfOrder}; an event older than its partition's watermark minus
 * {@code allowedLateness} is late and goes to {@code _late/<table>} instead of the refined table and
 * the windows. A null {@code allowedLateness} means never late (CDC pipelines default to it: an old
 * change is still a change). Defaults are Azure Stream Analytics' (out of order 0 s, late arrival 5 s).
 */
public record EventTimePolicy(Duration outOfOrder, Duration allowedLateness) {
    public static final EventTimePolicy STREAM_ANALYTICS_DEFAULTS =
            new EventTimePolicy(Duration.ZERO, Duration.ofSeconds(5));
    public static final EventTimePolicy NEVER_LATE = new EventTimePolicy(Duration.ZERO, null);

    public long outOfOrderMicros() {
        return outOfOrder.toNanos() / 1000;
    }

    /** Micros an event may trail the watermark and still count; Long.MAX_VALUE when unbounded. */
    public long allowedLatenessMicros() {
        return allowedLateness == null ? Long.MAX_VALUE : allowedLateness.toNanos() / 1000;
    }

    /** The watermark after seeing events up to {@code maxEventTime} (micros). */
    public long watermark(long maxEventTime) {
        return maxEventTime == Long.MIN_VALUE ? Long.MIN_VALUE : maxEventTime - outOfOrderMicros();
    }

    /** How far (micros) {@code eventTime} is behind the lateness bound of {@code watermark}; positive = late. */
    public long lateBy(long eventTime, long watermark) {
        if (allowedLateness == null || watermark == Long.MIN_VALUE) {
            return 0;
        }
        return watermark - allowedLatenessMicros() - eventTime;
    }
}
