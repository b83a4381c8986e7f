package io.hybridlake.serving;

import java.util.HashMap;
import java.util.Map;

/**
 * The speed layer's state of one window of one group key: aggregate accumulators plus, per source
 * partition, the highest offset already applied. The high-water marks make applying a re-delivered
 * batch a no-op; {@code version} guards concurrent writers (compare-and-set).
 *
 * <p>Accumulators: for aggregate i, {@code acc[i]} holds the sum (sum, avg), the minimum or maximum,
 * and {@code n[i]} the number of non-null values seen (the row count for count).
 */
public final class WindowState {
    private final WindowId id;
    private final long windowEnd;
    private final double[] acc;
    private final long[] n;
    private long count;
    private long maxEventTime;
    private long updatedAt;
    private long version;
    private final Map<String, Long> highWater;

    public WindowState(WindowId id, long windowEnd, int aggregates) {
        this(id, windowEnd, new double[aggregates], new long[aggregates], 0, Long.MIN_VALUE, 0, 0, new HashMap<>());
    }

    public WindowState(WindowId id, long windowEnd, double[] acc, long[] n, long count, long maxEventTime,
            long updatedAt, long version, Map<String, Long> highWater) {
        this.id = id;
        this.windowEnd = windowEnd;
        this.acc = acc;
        this.n = n;
        this.count = count;
        this.maxEventTime = maxEventTime;
        this.updatedAt = updatedAt;
        this.version = version;
        this.highWater = highWater;
    }

    public WindowId id() {
        return id;
    }

    public long windowEnd() {
        return windowEnd;
    }

    public double[] acc() {
        return acc;
    }

    public long[] n() {
        return n;
    }

    public long count() {
        return count;
    }

    public long maxEventTime() {
        return maxEventTime;
    }

    public long updatedAt() {
        return updatedAt;
    }

    public long version() {
        return version;
    }

    public Map<String, Long> highWater() {
        return highWater;
    }

    /** Highest offset of {@code source} already applied to this window, or -1. */
    public long highWater(String source) {
        return highWater.getOrDefault(source, -1L);
    }

    public void addRow(long eventTime) {
        count++;
        maxEventTime = Math.max(maxEventTime, eventTime);
    }

    public void markApplied(String source, long offset, long now) {
        highWater.merge(source, offset, Math::max);
        updatedAt = now;
        version++;
    }
}
