package io.hybridlake.serving.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.SnapshotFiles;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.ZoneSchemas;
import io.hybridlake.serving.cut.BatchCut;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Ad-hoc SQL over the lake's tables by name (Synapse Serverless' role), on embedded DuckDB fed each
 * table version's exact file list. Read-only by construction: the statement must parse as a single
 * SELECT (DuckDB's own parser decides, via {@code json_serialize_sql}), and the database is sandboxed
 * ({@link DuckDb}). Tables are read at their latest version or as of a version or time with Delta's
 * syntax: {@code FROM transactions VERSION AS OF 12}, {@code TIMESTAMP AS OF '2026-11-25T10:00:00Z'}.
 */
public final class LakeSql {
    public record ResultColumn(String name, String type) {
    }

    public record Result(List<ResultColumn> columns, List<List<Object>> rows, boolean truncated,
            Map<String, Long> tableVersions, long millis) {
    }

    private static final Pattern NAME = Pattern.compile(
            "(?<![\\w\".])([A-Za-z_][A-Za-z0-9_]*)(?![\\w\"])(\\s+(VERSION|TIMESTAMP)\\s+AS\\s+OF\\s+('(?:[^']|'')*'|\\d+))?",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_SQL_CHARS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Lake lake;
    private final PipelineCatalog catalog;
    private final DuckDb duckDb;

    public LakeSql(Lake lake, PipelineCatalog catalog, DuckDb duckDb) {
        this.lake = lake;
        this.catalog = catalog;
        this.duckDb = duckDb;
    }

    /** A table reference of the statement: the view it becomes and what it reads. */
    private record Ref(String view, SqlTables.Source source, OptionalLong version) {
    }

    public Result query(String sql, int maxRows) {
        return query(sql, maxRows, Map.of());
    }

    /**
     * As above, with extra views (name → SELECT) defined for this query only, e.g. a job's own data;
     * they are built by the platform, not by the caller of the SQL API.
     */
    public Result query(String sql, int maxRows, Map<String, String> extraViews) {
        long started = System.nanoTime();
        if (sql == null || sql.isBlank()) {
            throw new HybridlakeException.BadRequest("sql", "no SQL given");
        }
        if (sql.length() > MAX_SQL_CHARS) {
            throw new HybridlakeException.BadRequest("sql", "the statement is " + sql.length() + " characters; the limit is "
                    + MAX_SQL_CHARS);
        }
        int limit = maxRows <= 0 ? duckDb.limits().maxRows() : Math.min(maxRows, duckDb.limits().maxRows());
        Map<String, Ref> refs = new LinkedHashMap<>();
        String rewritten = resolve(sql, SqlTables.of(catalog), refs);
        try (DuckDb.Session session = duckDb.open("sql")) {
            Connection c = session.connection();
            requireOneSelect(c, rewritten);
            Map<String, Long> versions = new LinkedHashMap<>();
            try (Statement s = c.createStatement()) {
                for (Map.Entry<String, String> view : extraViews.entrySet()) {
                    s.execute("CREATE TEMP VIEW " + DuckDb.identifier(view.getKey()) + " AS " + view.getValue());
                }
                for (Ref ref : refs.values()) {
                    s.execute("CREATE TEMP VIEW " + DuckDb.identifier(ref.view()) + " AS " + viewSql(session, ref, versions));
                }
            }
            long maxBytes = duckDb.limits().maxResultBytes();
            return duckDb.withTimeout(c, "sql", s -> {
                try (ResultSet r = s.executeQuery(SqlAnswers.rowsBounded(rewritten, maxBytes, limit))) {
                    return SqlAnswers.read(r, limit, maxBytes, versions, started);
                }
            });
        } catch (SQLException e) {
            if (SqlAnswers.ROW_TOO_LARGE_RAISED.matcher(String.valueOf(e.getMessage())).find()) {
                throw SqlAnswers.tooLarge(duckDb.limits().maxResultBytes(), "(counted before sending)");
            }
            if (String.valueOf(e.getMessage()).startsWith("Out of Memory Error")) {
                throw new HybridlakeException.TooLarge("sql", "the query needs more memory than hybridlake.sql."
                        + "memory-limit (" + duckDb.limits().memoryLimit() + ") allows: " + firstLine(e.getMessage()));
            }
            throw new HybridlakeException.BadRequest("sql", "the query failed: " + firstLine(e.getMessage()));
        }
    }

    /** Replaces table names (with their AS OF clauses) by view names; string literals are left alone. */
    private String resolve(String sql, Map<String, SqlTables.Source> names, Map<String, Ref> refs) {
        boolean[] inLiteral = literalMask(sql);
        Matcher m = NAME.matcher(sql);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            SqlTables.Source source = names.get(m.group(1).toLowerCase());
            if (inLiteral[m.start()] || source == null) {
                continue;
            }
            OptionalLong version = OptionalLong.empty();
            String view = source.name();
            if (m.group(2) != null) {
                version = OptionalLong.of(versionOf(source, m.group(3), m.group(4)));
                view = source.name() + "@v" + version.getAsLong();
            }
            refs.putIfAbsent(view, new Ref(view, source, version));
            out.append(sql, last, m.start()).append(DuckDb.identifier(view));
            last = m.end();
        }
        return out.append(sql.substring(last)).toString();
    }

    private long versionOf(SqlTables.Source source, String kind, String value) {
        if (source.path() == null) {
            throw new HybridlakeException.BadRequest(source.name(), source.name() + " is a view over the tables' latest "
                    + "versions; time travel applies to tables");
        }
        LakeTable table = lake.table(source.path());
        if (kind.equalsIgnoreCase("VERSION")) {
            return Long.parseLong(value);
        }
        String text = value.substring(1, value.length() - 1).replace("''", "'");
        try {
            return table.versionAt(Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new HybridlakeException.BadRequest(source.name(), "TIMESTAMP AS OF needs an ISO-8601 instant such as "
                    + "'2026-11-25T10:00:00Z', not '" + text + "'");
        }
    }

    private static boolean[] literalMask(String sql) {
        boolean[] mask = new boolean[sql.length() + 1];
        boolean in = false;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '\'') {
                in = !in; // '' inside a literal toggles twice
            }
            mask[i] = in;
        }
        return mask;
    }

    /** Refuses anything but one SELECT, as DuckDB's parser sees it. */
    private static void requireOneSelect(Connection c, String sql) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            p.setString(1, sql);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                JsonNode parsed = JSON.readTree(r.getString(1));
                if (parsed.path("error").asBoolean()) {
                    String why = parsed.path("error_message").asText();
                    throw new HybridlakeException.BadRequest("sql", why.startsWith("Only SELECT")
                            ? "only read-only queries (one SELECT or WITH … SELECT) are allowed; the lake is written "
                                    + "by the stream and batch paths"
                            : "the statement does not parse: " + why);
                }
                if (parsed.path("statements").size() != 1) {
                    throw new HybridlakeException.BadRequest("sql", "one statement per request, not "
                            + parsed.path("statements").size());
                }
            } catch (IOException e) {
                throw new SQLException("cannot read the parser's answer: " + e.getMessage(), e);
            }
        }
    }

    private String viewSql(DuckDb.Session session, Ref ref, Map<String, Long> versions) throws SQLException {
        Connection c = session.connection();
        SqlTables.Source source = ref.source();
        if (source.unifiedOf() != null) {
            return unifiedSql(session, catalog.table(source.unifiedOf()), versions);
        }
        SnapshotFiles files = snapshot(session, source.path(), ref.version());
        versions.put(ref.view(), files.version());
        String select = SnapshotSql.select(c, files);
        return source.liveRowsOnly() ? "SELECT * EXCLUDE (\"_deleted\") FROM (" + select + ") WHERE NOT \"_deleted\""
                : select;
    }

    private SnapshotFiles snapshot(DuckDb.Session session, TablePath path, OptionalLong version) {
        TableFiles table = new TableFiles(lake.table(path));
        if (version.isPresent()) {
            return table.snapshotFiles(version, session.files());
        }
        return table.latestSnapshotFiles(session.files()).orElseThrow(() -> new HybridlakeException.NotFound(path.relative(),
                "table " + path.relative() + " has no data yet" + (path.relative().startsWith("refined/merged") ? " (no merge has run)" : "")));
    }

    /**
     * The seed's unified view: merged (batch view) rows before the batch watermark, refined stream rows
     * from it on, with {@code source_layer}; each event in one of the two (see BatchCut).
     */
    private String unifiedSql(DuckDb.Session session, PipelineSpec spec, Map<String, Long> versions) throws SQLException {
        Connection c = session.connection();
        BatchCut cut = BatchCut.of(lake, spec);
        String columns = ZoneSchemas.refined(new RowRules(spec)).columns().stream()
                .map(col -> DuckDb.identifier(col.name())).collect(Collectors.joining(", "));
        String eventTime = DuckDb.identifier(spec.eventTime());
        List<String> parts = new ArrayList<>();
        if (cut.mergedVersion() >= 0 && cut.watermarkMicros() != BatchCut.NONE) {
            SnapshotFiles merged = snapshot(session, TablePath.merged(spec.table()), OptionalLong.of(cut.mergedVersion()));
            versions.put("merged_" + spec.table(), merged.version());
            parts.add("SELECT " + columns + ", 'batch' AS source_layer FROM (" + SnapshotSql.select(c, merged)
                    + ") WHERE NOT \"_deleted\"" + (cut.watermarkMicros() == BatchCut.ALL ? ""
                            : " AND " + eventTime + " < make_timestamptz(" + cut.watermarkMicros() + "::BIGINT)"));
        }
        if (cut.streamVersion() >= 0 && cut.watermarkMicros() != BatchCut.ALL) {
            SnapshotFiles stream = snapshot(session, TablePath.refinedStream(spec.table()), OptionalLong.of(cut.streamVersion()));
            versions.put("refined_stream_" + spec.table(), stream.version());
            parts.add("SELECT " + columns + ", 'stream' AS source_layer FROM (" + SnapshotSql.select(c, stream) + ")"
                    + (cut.watermarkMicros() == BatchCut.NONE ? ""
                            : " WHERE " + eventTime + " >= make_timestamptz(" + cut.watermarkMicros() + "::BIGINT)"));
        }
        if (parts.isEmpty()) {
            throw new HybridlakeException.NotFound("unified_" + spec.table(), "pipeline " + spec.table()
                    + " has no merged or stream rows yet");
        }
        return String.join("\nUNION ALL ", parts);
    }

    private static String firstLine(String s) {
        return s == null ? "unknown error" : s.lines().findFirst().orElse(s);
    }
}
