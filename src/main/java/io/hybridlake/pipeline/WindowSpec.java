package io.hybridlake.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * A windowed aggregate over event time, e.g. the seed's "count per customer per 5-minute tumbling
 * window". Windows are identified by their start; the end is start + size.
 */
public record WindowSpec(String name, WindowType type, Duration size, List<String> groupBy,
        List<AggregateSpec> aggregates) {

    public enum WindowType {
        TUMBLING
    }

    /** Start of the window (epoch micros) containing the event time (epoch micros). */
    public long windowStart(long eventTimeMicros) {
        long size = sizeMicros();
        return Math.floorDiv(eventTimeMicros, size) * size;
    }

    public long sizeMicros() {
        return size.toNanos() / 1000;
    }
}
