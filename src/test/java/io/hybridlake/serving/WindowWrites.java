package io.hybridlake.serving;

import io.hybridlake.pipeline.AggregateFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Window states written to a speed cache as the stream path writes them: over the versions stored now. */
final class WindowWrites {
    private WindowWrites() {
    }

    /**
     * Writes the states with the versions currently stored as the expected ones; returns their encoded
     * bytes (what an embedded cache's window log grows by, at least).
     */
    static long write(SpeedCache cache, List<WindowState> states) {
        List<WindowState> current = cache.getAll(states.stream().map(WindowState::id).toList());
        List<WindowState> next = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < states.size(); i++) {
            WindowState s = states.get(i);
            long version = current.get(i).storedVersion();
            WindowState written = new WindowState(s.id(), s.segments(), 0, version + 1, version, Map.of());
            next.add(written);
            bytes += WindowStateCodec.encode(written).length;
        }
        cache.putAll(next);
        return bytes;
    }

    /** Window {@code minute} (a minute long) of {@code key} in table t, window w, counting {@code count} events. */
    static WindowState window(String key, int minute, long count) {
        WindowState s = new WindowState(new WindowId("t", "w", key, minute * 60_000_000L));
        Segment g = Segment.empty(minute * 60_000_000L, new AggregateFunction[0]);
        g.count = count;
        s.segments().add(g);
        return s;
    }
}
