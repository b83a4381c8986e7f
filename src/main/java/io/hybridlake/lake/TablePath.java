package io.hybridlake.lake;

import io.hybridlake.HybridlakeException;
import java.util.regex.Pattern;

/**
 * Where a table lives in the lake: {@code <zone>/<area>/<name>} (e.g. raw/stream/transactions) or a
 * system table such as {@code _rejected/<name>}. Names are validated so no path can escape the lake.
 */
public record TablePath(String relative) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public static TablePath rawStream(String table) {
        return of("raw/stream", table);
    }

    public static TablePath refinedStream(String table) {
        return of("refined/stream", table);
    }

    public static TablePath rawBatch(String table) {
        return of("raw/batch", table);
    }

    public static TablePath refinedBatch(String table) {
        return of("refined/batch", table);
    }

    public static TablePath merged(String table) {
        return of("refined/merged", table);
    }

    public static TablePath rejected(String table) {
        return of("_rejected", table);
    }

    public static TablePath late(String table) {
        return of("_late", table);
    }

    public static TablePath of(String prefix, String table) {
        requireValidName(table);
        return new TablePath(prefix + "/" + table);
    }

    /** Rejects anything that is not a plain lower-case identifier: no dots, slashes or traversal. */
    public static String requireValidName(String table) {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new HybridlakeException.BadRequest(String.valueOf(table),
                    "invalid table name '" + table + "': use 1-63 characters a-z, 0-9 and _, starting with a letter");
        }
        return table;
    }

    @Override
    public String toString() {
        return relative;
    }
}
