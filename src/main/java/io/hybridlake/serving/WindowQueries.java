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
import java.util.Map;

/** Point lookups of a key's windows in the speed cache, rendered with the pipeline's aggregate names. */
public final class WindowQueries {
    private final PipelineCatalog catalog;
    private final SpeedCache cache;

    public WindowQueries(PipelineCatalog catalog, SpeedCache cache) {
        this.catalog = catalog;
        this.cache = cache;
    }

    /** Windows of {@code key}, oldest first; every window of the pipeline when {@code window} is null. */
    public List<WindowView> windows(String table, String window, String key, int limit) {
        PipelineSpec spec = catalog.table(table);
        if (key == null || key.isEmpty()) {
            throw new HybridlakeException.BadRequest(table, "a key is required to look up windows of table " + table);
        }
        List<WindowView> out = new ArrayList<>();
        for (WindowSpec w : spec.windows()) {
            if (window != null && !window.equals(w.name())) {
                continue;
            }
            for (WindowState s : cache.windowsOf(table, w.name(), key, limit)) {
                out.add(view(w, s));
            }
        }
        if (window != null && spec.windows().stream().noneMatch(w -> w.name().equals(window))) {
            throw new HybridlakeException.NotFound(table + "." + window, "pipeline " + table + " has no window '" + window
                    + "'; windows: " + spec.windows().stream().map(WindowSpec::name).toList());
        }
        return out;
    }

    static WindowView view(WindowSpec w, WindowState s) {
        Map<String, Double> aggregates = new LinkedHashMap<>();
        for (int i = 0; i < w.aggregates().size(); i++) {
            AggregateSpec a = w.aggregates().get(i);
            long n = s.n()[i];
            Double value = switch (a.fn()) {
                case COUNT -> (double) n;
                case AVG -> n == 0 ? null : s.acc()[i] / n;
                default -> n == 0 && a.fn() != AggregateFunction.SUM ? null : s.acc()[i];
            };
            aggregates.put(a.as(), value);
        }
        return new WindowView(s.id().table(), w.name(), s.id().groupKey(), iso(s.id().windowStart()), iso(s.windowEnd()),
                s.count(), aggregates, s.count() == 0 ? null : iso(s.maxEventTime()),
                Instant.ofEpochMilli(s.updatedAt()).toString());
    }

    private static String iso(long micros) {
        return Instant.EPOCH.plusNanos(micros * 1000).toString();
    }
}
