package io.hybridlake.serving;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.SnapshotFiles;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.AggregateFunction;
import io.hybridlake.pipeline.AggregateSpec;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.WindowSpec;
import io.hybridlake.serving.cut.BatchCut;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.SnapshotSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Pattern 1's unified query: a key's windows of a tumbling window, from the batch view (the merged
 * table at one version, aggregated in DuckDB) for windows before the batch watermark and from the
 * speed cache for the rest (docs/DESIGN.md §6a). The cut is a window boundary derived from the merged
 * version itself ({@link BatchCut}), so each event is counted once whether or not a merge ran or is
 * committing: before a merge commits its rows are answered by the speed layer, after it by the batch
 * view, never both. The batch view is the corrected truth for its windows: one row per key (the
 * latest version wins), where the speed layer counted every version it saw.
 */
public final class UnifiedQuery {
    /** One window of the answer and the layer it came from ({@code batch} or {@code speed}). */
    public record Window(String windowStart, String windowEnd, String layer, long count, Map<String, Double> aggregates) {
    }

    /** How current the answer is. */
    public record Freshness(long mergedVersion, long streamVersionConsumed, String batchWatermark,
            String latestStreamEventTime, Long stalenessMillis, String answeredAt) {
    }

    public record Answer(String table, String window, String key, long events, Map<String, Double> totals,
            List<Window> windows, boolean truncated, Freshness freshness) {
    }

    private final Lake lake;
    private final PipelineCatalog catalog;
    private final SpeedCache cache;
    private final DuckDb duckDb;
    private final LongSupplier clock;

    public UnifiedQuery(Lake lake, PipelineCatalog catalog, SpeedCache cache, DuckDb duckDb, LongSupplier clockMillis) {
        this.lake = lake;
        this.catalog = catalog;
        this.cache = cache;
        this.duckDb = duckDb;
        this.clock = clockMillis;
    }

    /** The windows of {@code key} whose start is in [from, to) (either may be null: unbounded). */
    public Answer query(String table, String windowName, String key, Instant from, Instant to, boolean withWindows) {
        PipelineSpec spec = catalog.table(table);
        if (windowName == null || windowName.isBlank()) {
            throw new HybridlakeException.BadRequest("window", "the 'window' parameter is required; windows of " + table
                    + ": " + spec.windows().stream().map(WindowSpec::name).toList());
        }
        WindowSpec window = spec.windows().stream().filter(w -> w.name().equals(windowName)).findFirst()
                .orElseThrow(() -> new HybridlakeException.NotFound(table + "." + windowName, "pipeline " + table
                        + " has no window '" + windowName + "'; windows: "
                        + spec.windows().stream().map(WindowSpec::name).toList()));
        if (window.type() != WindowSpec.WindowType.TUMBLING) {
            throw new HybridlakeException.BadRequest(table + "." + windowName, "the unified query splits time at a "
                    + "window boundary, which only tumbling windows have; window '" + windowName + "' is "
                    + window.type().name().toLowerCase() + " (read it from the speed cache with /windows)");
        }
        if (key == null || key.isEmpty()) {
            throw new HybridlakeException.BadRequest(table, "a key is required for the unified query of table " + table);
        }
        long size = window.sizeMicros();
        long lower = from == null ? Long.MIN_VALUE : Math.floorDiv(micros(from), size) * size;
        long upper = to == null ? Long.MAX_VALUE : micros(to);
        BatchCut cut = BatchCut.of(lake, spec);
        long split = cut.alignedTo(size);
        int limit = duckDb.limits().maxRows();

        List<Window> windows = new ArrayList<>();
        if (cut.mergedVersion() >= 0 && split > lower && upper > lower) {
            windows.addAll(batchWindows(spec, window, key, cut.mergedVersion(), lower,
                    Math.min(split, upper == Long.MAX_VALUE ? Long.MAX_VALUE : Math.floorDiv(upper - 1, size) * size + size),
                    limit + 1));
        }
        long speedFrom = Math.max(lower, split);
        if (speedFrom < upper && split != BatchCut.ALL) {
            for (WindowView v : WindowQueries.views(window, cache.windowsOf(table, windowName, key, speedFrom, upper,
                    limit + 1 - windows.size()))) {
                windows.add(new Window(v.windowStart(), v.windowEnd(), "speed", v.count(), v.aggregates()));
            }
        }
        boolean truncated = windows.size() > limit;
        if (truncated) {
            windows = windows.subList(0, limit);
        }
        long events = windows.stream().mapToLong(Window::count).sum();
        Map<String, Double> totals = totals(window, windows);
        long now = clock.getAsLong();
        Freshness freshness = new Freshness(cut.mergedVersion(), cut.streamVersionConsumed(), iso(split),
                iso(cut.latestStreamEventMicros()),
                cut.latestStreamEventMicros() == BatchCut.NONE ? null : now - cut.latestStreamEventMicros() / 1000,
                Instant.ofEpochMilli(now).toString());
        return new Answer(table, windowName, key, events, totals, withWindows ? windows : List.of(), truncated, freshness);
    }

    private List<Window> batchWindows(PipelineSpec spec, WindowSpec window, String key, long version, long from, long to,
            int limit) {
        String eventTime = SnapshotSql.identifier(spec.eventTime());
        String us = "epoch_us(" + eventTime + ")";
        long size = window.sizeMicros();
        // the epoch-aligned window start, floored also before 1970 (DuckDB's % keeps the dividend's sign)
        StringBuilder sql = new StringBuilder("SELECT " + us + " - ((" + us + " % " + size + " + " + size + ") % " + size
                + ") AS bucket, count(*) AS n");
        for (AggregateSpec a : window.aggregates()) {
            sql.append(", ").append(aggregateSql(a));
        }
        List<String> keyParts = window.groupBy().size() == 1 ? List.of(key) : List.of(key.split("\\|", -1));
        if (keyParts.size() != window.groupBy().size()) {
            throw new HybridlakeException.BadRequest(key, "window " + window.name() + " groups by " + window.groupBy()
                    + "; give the key as their values joined with '|'");
        }
        sql.append(" FROM (").append("__snapshot__").append(") WHERE NOT \"_deleted\"");
        List<String> params = new ArrayList<>();
        for (int i = 0; i < keyParts.size(); i++) {
            String column = SnapshotSql.identifier(window.groupBy().get(i));
            if (keyParts.get(i).equals(WindowSpec.NULL_KEY)) {
                sql.append(" AND ").append(column).append(" IS NULL");
            } else {
                sql.append(" AND CAST(").append(column).append(" AS VARCHAR) = ?");
                params.add(keyParts.get(i));
            }
        }
        if (from != Long.MIN_VALUE) {
            sql.append(" AND ").append(eventTime).append(" >= make_timestamptz(").append(from).append("::BIGINT)");
        }
        if (to != Long.MAX_VALUE) {
            sql.append(" AND ").append(eventTime).append(" < make_timestamptz(").append(to).append("::BIGINT)");
        }
        sql.append(" GROUP BY bucket ORDER BY bucket LIMIT ").append(limit);
        try (DuckDb.Session session = duckDb.open(spec.table())) {
            Connection c = session.connection();
            SnapshotFiles files = new TableFiles(lake.table(TablePath.merged(spec.table())))
                    .snapshotFiles(OptionalLong.of(version), session.files());
            String query = sql.toString().replace("__snapshot__", SnapshotSql.select(c, files));
            return duckDb.withTimeout(c, spec.table(), s -> {
                try (PreparedStatement p = c.prepareStatement(query)) {
                    for (int i = 0; i < params.size(); i++) {
                        p.setString(i + 1, params.get(i));
                    }
                    List<Window> out = new ArrayList<>();
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            long start = r.getLong(1);
                            Map<String, Double> aggregates = new LinkedHashMap<>();
                            for (int a = 0; a < window.aggregates().size(); a++) {
                                double v = r.getDouble(3 + a);
                                aggregates.put(window.aggregates().get(a).as(), r.wasNull() ? null : v);
                            }
                            out.add(new Window(iso(start), iso(start + window.sizeMicros()), "batch", r.getLong(2), aggregates));
                        }
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw new HybridlakeException(spec.table(), "the batch view of table " + TablePath.merged(spec.table()).relative()
                    + " at version " + version + " could not be read: " + e.getMessage(), e);
        }
    }

    private static String aggregateSql(AggregateSpec a) {
        String column = a.column() == null ? null : SnapshotSql.identifier(a.column());
        return switch (a.fn()) {
            case COUNT -> column == null ? "count(*)" : "count(" + column + ")";
            case SUM -> "sum(" + column + ")";
            case MIN -> "min(" + column + ")";
            case MAX -> "max(" + column + ")";
            case AVG -> "avg(" + column + ")";
            case COUNT_DISTINCT -> "count(DISTINCT " + column + ")";
        };
    }

    /** Totals over the windows: counts and sums add up, min and max combine, averages weigh by events. */
    private static Map<String, Double> totals(WindowSpec window, List<Window> windows) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (AggregateSpec a : window.aggregates()) {
            if (a.fn() == AggregateFunction.COUNT_DISTINCT) {
                continue; // distinct counts of windows do not add up
            }
            Double total = null;
            long weight = 0;
            for (Window w : windows) {
                Double v = w.aggregates().get(a.as());
                if (v == null) {
                    continue;
                }
                total = switch (a.fn()) {
                    case MIN -> total == null ? v : Math.min(total, v);
                    case MAX -> total == null ? v : Math.max(total, v);
                    case AVG -> (total == null ? 0 : total) + v * w.count();
                    default -> (total == null ? 0 : total) + v;
                };
                weight += w.count();
            }
            if (a.fn() == AggregateFunction.AVG && total != null) {
                total = weight == 0 ? null : total / weight;
            }
            out.put(a.as(), total);
        }
        return out;
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    private static String iso(long micros) {
        return micros == BatchCut.NONE || micros == BatchCut.ALL ? null : WindowQueries.iso(micros);
    }
}
