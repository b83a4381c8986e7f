package io.hybridlake.serving.sql;

import io.hybridlake.HybridlakeException;
import java.sql.Array;
import java.sql.Blob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.duckdb.DuckDBStruct;

/**
 * A SQL answer kept within its bounds and turned into JSON values: the row and byte limits checked
 * inside DuckDB before any value reaches the JVM, then again while the rows are read.
 */
final class SqlAnswers {
    private SqlAnswers() {
    }

    static final String ROW_TOO_LARGE = "hybridlake: answer larger than its byte limit";
    /** The raised error (its size appended), not a message that merely quotes the statement. */
    static final Pattern ROW_TOO_LARGE_RAISED = Pattern.compile(Pattern.quote(ROW_TOO_LARGE) + ": \\d+");

    /**
     * The statement with the answer's size checked inside DuckDB before any value reaches the JVM: the
     * rows up to one past the row limit (that one tells the answer was cut), their total size as text
     * computed there, and an error raised when it passes the byte limit — so neither one huge value
     * (a 200 MB string, a list of 100M elements) nor many big rows (DuckDB's JDBC driver converts 2,048
     * rows at a time) can exhaust the heap. The row number keeps the statement's order. The newline
     * ends a trailing line comment.
     */
    static String rowsBounded(String select, long maxBytes, int maxRows) {
        String inner = select.strip();
        if (inner.endsWith(";")) {
            inner = inner.substring(0, inner.length() - 1);
        }
        // error()'s argument depends on the rows, so the optimizer cannot fold it into a constant failure
        return "SELECT * EXCLUDE (hybridlake_n, hybridlake_bytes) FROM (SELECT *, sum(strlen(CAST(hybridlake_rows AS "
                + "VARCHAR))) OVER () AS hybridlake_bytes FROM (SELECT *, row_number() OVER () AS hybridlake_n FROM ("
                + inner + "\n) LIMIT " + (maxRows + 1L) + ") AS hybridlake_rows) WHERE CASE WHEN hybridlake_bytes <= "
                + maxBytes + " THEN true ELSE error('" + ROW_TOO_LARGE + ": ' || hybridlake_bytes) END ORDER BY hybridlake_n";
    }

    static HybridlakeException.TooLarge tooLarge(long maxBytes, String where) {
        return new HybridlakeException.TooLarge("sql", "the answer passed " + maxBytes + " bytes (the limit, "
                + "hybridlake.sql.max-result-bytes) " + where + "; select fewer or shorter columns, or add LIMIT");
    }

    /**
     * Reads at most {@code limit} rows (the answer says it was cut); an answer growing past
     * {@code maxBytes} (estimated as its JSON text) is refused with a 413 rather than held in memory.
     */
    static LakeSql.Result read(ResultSet r, int limit, long maxBytes, Map<String, Long> versions, long started)
            throws SQLException {
        ResultSetMetaData meta = r.getMetaData();
        List<LakeSql.ResultColumn> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(new LakeSql.ResultColumn(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        long bytes = 0;
        while (r.next()) {
            if (rows.size() == limit) {
                truncated = true;
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                Object value = jsonValue(r.getObject(i));
                bytes += estimatedBytes(value);
                if (bytes > maxBytes) {
                    throw tooLarge(maxBytes, "at row " + (rows.size() + 1) + " of " + limit + " allowed");
                }
                row.add(value);
            }
            rows.add(row);
        }
        return new LakeSql.Result(columns, rows, truncated, versions, (System.nanoTime() - started) / 1_000_000);
    }

    /** About the size of a value as JSON text (what the answer will cost to hold and send). */
    private static long estimatedBytes(Object v) {
        if (v instanceof String s) {
            return s.length() + 2L;
        }
        if (v instanceof List<?> list) {
            long n = 2;
            for (Object e : list) {
                n += estimatedBytes(e) + 1;
            }
            return n;
        }
        if (v instanceof Map<?, ?> map) {
            long n = 2;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n += estimatedBytes(String.valueOf(e.getKey())) + estimatedBytes(e.getValue()) + 2;
            }
            return n;
        }
        return 8;
    }

    /**
     * Numbers, booleans and strings as they are; times as ISO-8601 text; bytes as base64; LIST and ARRAY
     * as JSON arrays, STRUCT as objects, MAP as an object (text keys) or an array of {key, value}.
     */
    static Object jsonValue(Object v) throws SQLException {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof Blob blob) {
            return Base64.getEncoder().encodeToString(blob.getBytes(1, (int) blob.length()));
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (v instanceof Array array) {
            return jsonValue(array.getArray());
        }
        if (v instanceof Object[] elements) {
            List<Object> out = new ArrayList<>(elements.length);
            for (Object e : elements) {
                out.add(jsonValue(e));
            }
            return out;
        }
        if (v instanceof DuckDBStruct struct) {
            return jsonValue(struct.getMap());
        }
        if (v instanceof Map<?, ?> map) {
            boolean textKeys = map.keySet().stream().allMatch(k -> k instanceof String);
            if (textKeys) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.put((String) e.getKey(), jsonValue(e.getValue()));
                }
                return out;
            }
            List<Object> out = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("key", jsonValue(e.getKey()));
                entry.put("value", jsonValue(e.getValue()));
                out.add(entry);
            }
            return out;
        }
        return v.toString();
    }
}
