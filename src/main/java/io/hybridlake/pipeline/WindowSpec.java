package io.hybridlake.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * A windowed aggregate over event time, e.g. the seed's "count per customer per 5-minute tumbling
 * window". Windows are identified by their start; the end is start + size. As in Azure Stream
 * Analytics, a tumbling window is a hopping window whose hop equals its size; windows are aligned to
 * the epoch, and an event at time t belongs to every window with start <= t < start + size.
 */
public record WindowSpec(String name, WindowType type, Duration size, Duration hop, List<String> groupBy,
        List<AggregateSpec> aggregates) {

    public enum WindowType {
        TUMBLING, HOPPING
    }

    /** Starts (epoch micros, oldest first) of every window containing the event time (epoch micros). */
    public long[] windowStarts(long eventTimeMicros) {
        long size = sizeMicros();
        long hop = hopMicros();
        long latest = Math.floorDiv(eventTimeMicros, hop) * hop;
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

    public long sizeMicros() {
        return size.toNanos() / 1000;
    }

    public long hopMicros() {
        return hop.toNanos() / 1000;
    }
}
