package io.hybridlake.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * A windowed aggregate over event time with Azure Stream Analytics' semantics, keyed by
 * {@code groupBy}. All windows are half-open [start, end) and aligned to the epoch where they align.
 * <ul>
 * <li>tumbling: fixed, non-overlapping windows of {@code size} (a hopping window with hop = size);
 * <li>hopping: windows of {@code size} starting every {@code hop}; an event is in size/hop of them;
 * <li>sliding: for every point in time where the content changes (an event enters or leaves), the
 * window (t - size, t]; kept as the events' timestamps in buckets of {@code size};
 * <li>session: events closer than {@code timeout} to each other form one window, ending
 * {@code timeout} after its last event; as in Stream Analytics the maximum duration is checked at
 * epoch-aligned multiples of {@code maxDuration}, so a session never crosses such a boundary.
 * </ul>
 * {@code size} is the bucket of state kept per key: the window for tumbling/hopping, the bucket for
 * sliding, {@code maxDuration} for session windows.
 */
public record WindowSpec(String name, WindowType type, Duration size, Duration hop, Duration timeout,
        List<String> groupBy, List<AggregateSpec> aggregates) {

    /** The group-key text of a null group-by value. */
    public static final String NULL_KEY = "\u2205";

    public enum WindowType {
        TUMBLING, HOPPING, SLIDING, SESSION
    }

    /** Starts (epoch micros, oldest first) of every state bucket an event at this time (micros) updates. */
    public long[] windowStarts(long eventTimeMicros) {
        if (oneBucketPerEvent()) {
            return new long[] {latestStart(eventTimeMicros)};
        }
        long size = sizeMicros();
        long hop = hopMicros();
        long latest = latestStart(eventTimeMicros);
        int count = 0;
        for (long s = latest; s > eventTimeMicros - size; s -= hop) {
            count++;
        }
        long[] starts = new long[count];
        for (int i = 0; i < count; i++) {
            starts[i] = latest - (long) (count - 1 - i) * hop;
        }
        return starts;
    }

    /** Whether an event updates exactly one state bucket: every type but hopping (its buckets overlap). */
    public boolean oneBucketPerEvent() {
        return type != WindowType.HOPPING;
    }

    /** The start of the newest bucket an event at this time (micros) updates; its only one if {@link #oneBucketPerEvent}. */
    public long latestStart(long eventTimeMicros) {
        long hop = type == WindowType.HOPPING ? hopMicros() : sizeMicros();
        return Math.floorDiv(eventTimeMicros, hop) * hop;
    }

    /** Whether each bucket holds one accumulator (tumbling, hopping) rather than segments of events. */
    public boolean isFixed() {
        return type == WindowType.TUMBLING || type == WindowType.HOPPING;
    }

    public long sizeMicros() {
        return size.toNanos() / 1000;
    }

    public long hopMicros() {
        return hop.toNanos() / 1000;
    }

    public long timeoutMicros() {
        return timeout == null ? 0 : timeout.toNanos() / 1000;
    }

    /** How long after its start a bucket can still change: event time past this is final. */
    public long spanMicros() {
        return type == WindowType.SLIDING ? 2 * sizeMicros() : sizeMicros();
    }
}
