package io.hybridlake.stream;

import io.hybridlake.pipeline.AggregateFunction;
import io.hybridlake.pipeline.AggregateSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.WindowSpec;
import io.hybridlake.serving.Segment;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.WindowId;
import io.hybridlake.serving.WindowState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Applies a batch's refined rows to the window states in the speed cache, idempotently: for each
 * window entry, only rows above the entry's high-water offset for this source are added, and the
 * entries are written with a version check. Re-running after any crash or conflict is safe.
 */
final class WindowUpdater {
    /** How a pipeline's rows feed one window: column positions resolved once. */
    record Plan(WindowSpec spec, int[] groupBy, int eventTime, int[] aggregateColumns, AggregateFunction[] functions) {
        static Plan of(WindowSpec w, RowRules rules) {
            int[] group = w.groupBy().stream().mapToInt(rules::columnIndex).toArray();
            int[] cols = new int[w.aggregates().size()];
            AggregateFunction[] fns = new AggregateFunction[cols.length];
            for (int i = 0; i < cols.length; i++) {
                AggregateSpec a = w.aggregates().get(i);
                cols[i] = a.column() == null ? -1 : rules.columnIndex(a.column());
                fns[i] = a.fn();
            }
            return new Plan(w, group, rules.columnIndex(rules.spec().eventTime()), cols, fns);
        }
    }

    private static final int MAX_CONFLICT_RETRIES = 20;

    private final SpeedCache cache;
    private final LongSupplier clock;

    WindowUpdater(SpeedCache cache, LongSupplier clock) {
        this.cache = cache;
        this.clock = clock;
    }

    /** Rows of one window entry, as (batch index, row index) pairs packed into longs, in offset order per batch. */
    private static final class Refs {
        final WindowId id;
        final Plan plan;
        long[] refs = new long[4];
        int size;

        Refs(WindowId id, Plan plan) {
            this.id = id;
            this.plan = plan;
        }

        void add(int batch, int row) {
            if (size == refs.length) {
                refs = Arrays.copyOf(refs, size * 2);
            }
            refs[size++] = ((long) batch << 32) | row;
        }
    }

    /**
     * The new states of the windows a poll's refined rows change, computed against the cache as read
     * now (each state carries the version it was read at); nothing is written yet ({@link #write}).
     */
    record Changes(List<WindowState> states) {
        static final Changes NONE = new Changes(List.of());

        /** The changes of disjoint sets of windows (one per window definition), as one write. */
        static Changes all(List<Changes> parts) {
            if (parts.size() == 1) {
                return parts.get(0);
            }
            List<WindowState> states = new ArrayList<>();
            parts.forEach(c -> states.addAll(c.states()));
            return new Changes(states);
        }
    }

    /** Applies the refined rows of all batches of one poll; returns the number of window entries changed. */
    int apply(String table, List<Plan> plans, List<DecodedBatch> batches) {
        return write(changes(table, plans, batches), table, plans, batches);
    }

    /**
     * Writes {@code changes} with a version check; when another writer changed one of the windows
     * since they were read, computes them again from the rows and retries.
     */
    int write(Changes changes, String table, List<Plan> plans, List<DecodedBatch> batches) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (!changes.states().isEmpty()) {
                    cache.putAll(changes.states());
                }
                return changes.states().size();
            } catch (SpeedCache.ConflictException e) {
                if (attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
                changes = changes(table, plans, batches);
            }
        }
    }

    /** See {@link Changes}. */
    Changes changes(String table, List<Plan> plans, List<DecodedBatch> batches) {
        if (plans.isEmpty() || batches.stream().allMatch(d -> d.refined == 0)) {
            return Changes.NONE;
        }
        // Indexed by group key, then by start: a poll touches a few windows per key, found by a string's
        // cached hash and a short scan instead of a window id built and hashed per event and window. The
        // list comes out grouped by key, so the cache looks each key up once for all its windows.
        List<Refs> windows = new ArrayList<>();
        for (Plan plan : plans) {
            Map<String, KeyWindows> byKey = new HashMap<>();
            boolean oneBucket = plan.spec().type() != WindowSpec.WindowType.HOPPING;
            long size = plan.spec().sizeMicros();
            for (int b = 0; b < batches.size(); b++) {
                Object[][] rows = batches.get(b).rows;
                for (int i = 0; i < rows.length; i++) {
                    Object[] row = rows[i];
                    if (row == null) {
                        continue;
                    }
                    Object time = row[plan.eventTime()];
                    if (time == null) {
                        continue; // a CDC delete without an event time: no window to count it in
                    }
                    String key = groupKey(row, plan.groupBy());
                    KeyWindows k = byKey.get(key);
                    if (k == null) {
                        k = new KeyWindows(key);
                        byKey.put(key, k);
                    }
                    long t = (Long) time;
                    if (oneBucket) {
                        k.at(table, plan, Math.floorDiv(t, size) * size).add(b, i);
                    } else {
                        for (long start : plan.spec().windowStarts(t)) {
                            k.at(table, plan, start).add(b, i);
                        }
                    }
                }
            }
            byKey.values().forEach(k -> windows.addAll(k.windows));
        }
        return changes(windows, batches);
    }

    /** The windows of one group key a poll touches, the last one used first (events mostly come in order). */
    private static final class KeyWindows {
        final String key;
        final List<Refs> windows = new ArrayList<>(2);
        Refs last;

        KeyWindows(String key) {
            this.key = key;
        }

        Refs at(String table, Plan plan, long start) {
            if (last != null && last.id.windowStart() == start) {
                return last;
            }
            for (Refs r : windows) {
                if (r.id.windowStart() == start) {
                    last = r;
                    return r;
                }
            }
            last = new Refs(new WindowId(table, plan.spec().name(), key, start), plan);
            windows.add(last);
            return last;
        }
    }

    private Changes changes(List<Refs> windows, List<DecodedBatch> batches) {
        List<WindowId> ids = new ArrayList<>(windows.size());
        windows.forEach(w -> ids.add(w.id));
        List<WindowState> current = cache.getAll(ids);
        List<WindowState> changed = new ArrayList<>();
        long now = clock.getAsLong();
        String[] sources = new String[batches.size()];
        for (int b = 0; b < sources.length; b++) {
            sources[b] = batches.get(b).batch.source();
        }
        for (int w = 0; w < windows.size(); w++) {
            Refs refs = windows.get(w);
            WindowState state = current.get(w);
            boolean touched = false;
            int lastBatch = -1;
            long highWater = -1;
            long applied = -1;
            for (int k = 0; k < refs.size; k++) {
                int b = (int) (refs.refs[k] >>> 32);
                int i = (int) refs.refs[k];
                DecodedBatch d = batches.get(b);
                if (b != lastBatch) {
                    if (applied >= 0) {
                        state.markApplied(sources[lastBatch], applied, now);
                    }
                    lastBatch = b;
                    highWater = state.highWater(sources[b]);
                    applied = -1;
                }
                long offset = d.batch.records().get(i).offset();
                if (offset > highWater) {
                    add(state, refs.plan, d.rows[i]);
                    applied = offset;
                    touched = true;
                }
            }
            if (applied >= 0) {
                state.markApplied(sources[lastBatch], applied, now);
            }
            if (touched) {
                changed.add(state);
            }
        }
        return new Changes(changed);
    }

    private static void add(WindowState state, Plan plan, Object[] row) {
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
    private static void addToSession(List<Segment> segments, long t, Plan plan, Object[] values) {
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
    private static Segment segmentAt(List<Segment> segments, long t, Plan plan) {
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
    private static void mergeSessions(List<Segment> segments, Plan plan) {
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

    static String groupKey(Object[] row, int[] columns) {
        if (columns.length == 1) {
            Object v = row[columns[0]];
            return v == null ? WindowSpec.NULL_KEY : v.toString();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                sb.append('|');
            }
            Object v = row[columns[i]];
            sb.append(v == null ? WindowSpec.NULL_KEY : v.toString());
        }
        return sb.toString();
    }
}
