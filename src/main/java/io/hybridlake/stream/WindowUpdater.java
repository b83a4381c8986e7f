package io.hybridlake.stream;

import io.hybridlake.pipeline.AggregateFunction;
import io.hybridlake.pipeline.AggregateSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.WindowSpec;
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
                    if (plan.spec().oneBucketPerEvent()) { // no array per event
                        k.at(table, plan, plan.spec().latestStart(t)).add(b, i);
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
                    WindowEvents.add(state, refs.plan, d.rows[i]);
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
