package io.hybridlake.stream;

import io.hybridlake.serving.Segment;
import io.hybridlake.serving.WindowState;
import java.util.List;

/**
 * How one event changes a window's state: the one segment of a tumbling or hopping window, the
 * segment at its timestamp of a sliding window, the session it falls in or near (joining sessions it
 * bridges) of a session window.
 */
final class WindowEvents {
    private WindowEvents() {
    }

    /** Adds one refined row to the state of a window it falls in. */
    static void add(WindowState state, WindowUpdater.Plan plan, Object[] row) {
        long t = (Long) row[plan.eventTime()];
        Object[] values = new Object[plan.functions().length];
        for (int a = 0; a < values.length; a++) {
            int c = plan.aggregateColumns()[a];
            values[a] = c < 0 ? null : row[c];
        }
        List<Segment> segments = state.segments();
        switch (plan.spec().type()) {
            case TUMBLING, HOPPING -> {
                if (segments.isEmpty()) {
                    segments.add(Segment.empty(t, plan.functions()));
                }
                segments.get(0).addEvent(t, plan.functions(), values);
            }
            case SLIDING -> segmentAt(segments, t, plan).addEvent(t, plan.functions(), values);
            case SESSION -> addToSession(segments, t, plan, values);
        }
    }

    /**
     * Adds the event to the session it falls in or within the timeout of, or starts one; sessions are
     * joined only when one grew. Not a new segment per event merged back at once: a user's events
     * mostly land inside a session, and allocating and merging one per event was a tenth of a replay's
     * window stage (measured).
     */
    private static void addToSession(List<Segment> segments, long t, WindowUpdater.Plan plan, Object[] values) {
        long timeout = plan.spec().timeoutMicros();
        int after = firstStartingAfter(segments, t);
        Segment s = null;
        if (after > 0 && t - segments.get(after - 1).last() < timeout) {
            s = segments.get(after - 1);
        } else if (after < segments.size() && segments.get(after).first() - t < timeout) {
            s = segments.get(after);
        }
        if (s == null) { // no session within the timeout: a new one, which joins none
            s = Segment.empty(t, plan.functions());
            segments.add(after, s);
        }
        boolean grows = t < s.first() || t > s.last();
        s.addEvent(t, plan.functions(), values);
        if (grows) {
            mergeSessions(segments, plan);
        }
    }

    /** Index of the first segment starting after {@code t}. */
    private static int firstStartingAfter(List<Segment> segments, long t) {
        return firstStartingFrom(segments, t + 1); // event times are microseconds, far from Long.MAX_VALUE
    }

    /** Index of the first segment starting at or after {@code t} (segments are ordered by first event time). */
    private static int firstStartingFrom(List<Segment> segments, long t) {
        int lo = 0;
        int hi = segments.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (segments.get(mid).first() < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The segment starting at {@code t} in the ordered list, inserted empty if there is none. */
    private static Segment segmentAt(List<Segment> segments, long t, WindowUpdater.Plan plan) {
        int at = firstStartingFrom(segments, t);
        if (at < segments.size() && segments.get(at).first() == t) {
            return segments.get(at);
        }
        Segment s = Segment.empty(t, plan.functions());
        segments.add(at, s);
        return s;
    }

    /**
     * Joins neighbouring sessions closer than the timeout: an event arriving out of order can bridge
     * two sessions, exactly as if the events had come in order.
     */
    private static void mergeSessions(List<Segment> segments, WindowUpdater.Plan plan) {
        long timeout = plan.spec().timeoutMicros();
        for (int i = 0; i + 1 < segments.size(); ) {
            Segment a = segments.get(i);
            Segment b = segments.get(i + 1);
            if (b.first() - a.last() < timeout) {
                a.merge(b, plan.functions());
                segments.remove(i + 1);
            } else {
                i++;
            }
        }
    }
}
