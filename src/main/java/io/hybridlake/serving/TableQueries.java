package io.hybridlake.serving;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableInfo;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A lake table by name and zone, described or read at its latest version or as of a version or a
 * time (time travel): what the API's tableInfo and tableRows answer. Zones are a fixed list, so a
 * caller can name no path outside the lake's tables.
 */
public final class TableQueries {
    public static final Set<String> ZONES = Set.of("raw/stream", "raw/batch", "refined/stream", "refined/batch",
            "refined/merged", "curated/warehouse", "curated/cache", "curated/ml", "_rejected", "_late");
    public static final String DEFAULT_ZONE = "refined/stream";
    /** Most rows one tableRows answer holds. */
    public static final int MAX_ROWS = 10_000;

    /** A table as a caller names it: zone (default refined/stream), and a version or a time, or neither. */
    public record TableRef(String table, String zone, Long version, String asOf) {
    }

    private final Lake lake;

    public TableQueries(Lake lake) {
        this.lake = lake;
    }

    /** The Delta version, row count, file count, size and schema, read from the log. */
    public TableInfo info(TableRef ref) {
        TablePath path = path(ref);
        return new TableReader(lake.table(path)).info(version(ref, path));
    }

    /** Up to {@code limit} rows (1..{@value #MAX_ROWS}). */
    public List<Map<String, Object>> rows(TableRef ref, int limit) {
        TablePath path = path(ref);
        if (limit < 1 || limit > MAX_ROWS) {
            throw new HybridlakeException.BadRequest(path.relative(), "limit must be 1.." + MAX_ROWS + ", not " + limit);
        }
        return new TableReader(lake.table(path)).rows(version(ref, path), limit);
    }

    /** The table's path: a known zone and a table name, nothing else. */
    public static TablePath path(TableRef ref) {
        if (ref.table() == null) {
            throw new HybridlakeException.BadRequest("table", "the 'table' parameter is required");
        }
        String zone = ref.zone() == null ? DEFAULT_ZONE : ref.zone();
        if (!ZONES.contains(zone)) {
            throw new HybridlakeException.BadRequest(zone, "unknown zone '" + zone + "'; zones: " + ZONES);
        }
        return TablePath.of(zone, ref.table());
    }

    private OptionalLong version(TableRef ref, TablePath path) {
        if (ref.version() != null && ref.asOf() != null) {
            throw new HybridlakeException.BadRequest(path.relative(), "give either 'version' or 'asOf', not both");
        }
        if (ref.asOf() != null) {
            long millis;
            try {
                millis = Instant.parse(ref.asOf()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new HybridlakeException.BadRequest(path.relative(), "asOf '" + ref.asOf()
                        + "' is not an ISO-8601 instant such as 2025-01-28T10:00:00Z");
            }
            return OptionalLong.of(lake.table(path).versionAt(millis));
        }
        return ref.version() == null ? OptionalLong.empty() : OptionalLong.of(ref.version());
    }
}
