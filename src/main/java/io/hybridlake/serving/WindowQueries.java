package io.hybridlake.serving;

import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.AggregateFunction;
import io.hybridlake.pipeline.AggregateSpec;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.WindowSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.Map;

/** Point lookups of a key's windows in the speed cache, rendered with the pipeline's aggregate names. */
public final class WindowQueries {
    private final PipelineCatalog catalog;
    private final SpeedCache cache;

    public WindowQueries(PipelineCatalog catalog, SpeedCache cache) {
        this.catalog = catalog;
        this.cache = cache;
    }

    /** The most windows one lookup returns (per window of the pipeline). */
    public static final int MAX_LIMIT = 100_000;

    /** Windows of {@code key}, oldest first; every window of the pipeline when {@code window} is null. */
    public List<WindowView> windows(String table, String window, String key, int limit) {
        PipelineSpec spec = catalog.table(table);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new HybridlakeException.BadRequest("limit", "limit must be 1.." + MAX_LIMIT + ", not " + limit);
        }
        if (key == null || key.isEmpty()) {
            throw new HybridlakeException.BadRequest(table, "a key is required to look up windows of table " + table);
        }
        if (window != null && spec.windows().stream().noneMatch(w -> w.name().equals(window))) {
            throw new HybridlakeException.NotFound(table + "." + window, "pipeline " + table + " has no window '" + window
                    + "'; windows: " + spec.windows().stream().map(WindowSpec::name).toList());
        }
        List<WindowView> out = new ArrayList<>();
        for (WindowSpec w : spec.windows()) {
            if (window == null || window.equals(w.name())) {
                out.addAll(views(w, cache.windowsOf(table, w.name(), key, limit)));
            }
        }
        return out;
    }

    /** The windows that a key's state buckets (ascending) hold, by the window type's semantics. */
    static List<WindowView> views(WindowSpec w, List<WindowState> states) {
        AggregateFunction[] fns = w.aggregates().stream().map(AggregateSpec::fn).toArray(AggregateFunction[]::new);
        List<WindowView> out = new ArrayList<>();
        switch (w.type()) {
            case TUMBLING, HOPPING -> {
                for (WindowState s : states) {
                    if (!s.segments().isEmpty()) {
                        long start = s.id().windowStart();
                        out.add(view(w, s, start, start + w.sizeMicros(), s.segments().get(0)));
                    }
                }
            }
            case SESSION -> {
                for (WindowState s : states) {
                    long boundary = s.id().windowStart() + w.sizeMicros(); // the max-duration check point
                    for (Segment g : s.segments()) {
                        out.add(view(w, s, g.first(), Math.min(g.last() + w.timeoutMicros(), boundary), g));
                    }
                }
            }
            case SLIDING -> out.addAll(sliding(w, states, fns));
        }
        return out;
    }

    /** One window (t - size, t] per point t where an event enters (t = its time) or leaves (t = time + size). */
    private static List<WindowView> sliding(WindowSpec w, List<WindowState> states, AggregateFunction[] fns) {
        List<Segment> events = new ArrayList<>();
        List<WindowState> owner = new ArrayList<>();
        for (WindowState s : states) {
            for (Segment g : s.segments()) {
                events.add(g);
                owner.add(s);
            }
        }
        long size = w.sizeMicros();
        TreeSet<Long> points = new TreeSet<>();
        for (Segment g : events) {
            points.add(g.first());
            points.add(g.first() + size);
        }
        List<WindowView> out = new ArrayList<>();
        int lo = 0;
        int hi = 0;
        for (long t : points) {
            while (hi < events.size() && events.get(hi).first() <= t) {
                hi++;
            }
            while (lo < hi && events.get(lo).first() <= t - size) {
                lo++;
            }
            if (lo == hi) {
                continue; // an empty window produces no output
            }
            Segment sum = Segment.empty(events.get(lo).first(), fns);
            for (int i = lo; i < hi; i++) {
                sum.merge(events.get(i), fns);
            }
            out.add(view(w, owner.get(hi - 1), t - size, t, sum));
        }
        return out;
    }

    private static WindowView view(WindowSpec w, WindowState s, long start, long end, Segment g) {
        Map<String, Double> aggregates = new LinkedHashMap<>();
        for (int i = 0; i < w.aggregates().size(); i++) {
            AggregateSpec a = w.aggregates().get(i);
            aggregates.put(a.as(), g.value(i, a.fn()));
        }
        return new WindowView(s.id().table(), w.name(), w.type().name().toLowerCase(Locale.ROOT), s.id().groupKey(),
                iso(start), iso(end), g.count(), aggregates, g.count() == 0 ? null : iso(g.last()),
                Instant.ofEpochMilli(s.updatedAt()).toString());
    }

    static String iso(long micros) {
        return Instant.EPOCH.plusNanos(micros * 1000).toString();
    }
}
