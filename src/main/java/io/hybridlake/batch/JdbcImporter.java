package io.hybridlake.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.RecordImporter;
import io.hybridlake.stream.SourceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The seed's Phase 3 migration: copies a table of a relational database that an operator declared
 * ({@link JdbcSources}: PostgreSQL, H2 over TCP) into raw/batch and refined/batch through the pipeline's rules,
 * a chunk at a time over one streaming cursor. Rows are read in key order, so a run is a source
 * {@code jdbc:<hash of url, table, run>} whose offsets are row numbers: re-running the same run
 * resumes after its last completed chunk or does nothing; a new run name imports again, and MERGE keeps
 * the latest version of each key. Column names map to the pipeline's fields (case-insensitive);
 * timestamps without a zone are read as UTC.
 */
public final class JdbcImporter {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final JsonFactory JSON = new JsonFactory();

    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w:])/[^\\s'\"]+");

    private final PipelineCatalog catalog;
    private final JdbcSources sources;
    private final RecordImporter importer;
    private final LongSupplier clock;

    public JdbcImporter(PipelineCatalog catalog, JdbcSources sources, RecordImporter importer, LongSupplier clockMillis) {
        this.catalog = catalog;
        this.sources = sources;
        this.importer = importer;
        this.clock = clockMillis;
    }

    /** Copies {@code sourceTable} of the declared source {@code sourceName} into {@code table}'s batch layers. */
    public BatchIngestor.Result importTable(String table, String sourceName, String sourceTable, String run) {
        PipelineSpec spec = catalog.table(table);
        JdbcSources.Source db = sources.source(sourceName);
        String url = db.url();
        if (sourceTable == null || !IDENTIFIER.matcher(sourceTable).matches()) {
            throw new HybridlakeException.BadRequest(String.valueOf(sourceTable), "source table '" + sourceTable
                    + "' must be a plain (optionally schema-qualified) SQL identifier");
        }
        String runName = run == null || run.isBlank() ? "initial" : run;
        String source = "jdbc:" + hash(url + "|" + sourceTable.toLowerCase(Locale.ROOT) + "|" + runName);
        String label = sourceName + "." + sourceTable + " (" + runName + ")";
        ImportTotals totals = new ImportTotals();
        long records = 0;
        boolean already = importer.lastCompleted(spec, source) >= 0;
        try (Connection connection = connect(sources.driverClass(sourceName), url, db.user(), db.password())) {
            connection.setAutoCommit(false); // lets drivers such as PostgreSQL stream with a fetch size
            connection.setReadOnly(true);
            try (Statement st = connection.createStatement()) {
                st.setFetchSize(BatchIngestor.CHUNK_RECORDS);
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + sourceTable + " ORDER BY " + spec.key())) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<SourceRecord> chunk = new ArrayList<>();
                    Map<String, byte[]> origin = Map.of("jdbc", label.getBytes(StandardCharsets.UTF_8));
                    long now = clock.getAsLong();
                    while (rs.next()) {
                        chunk.add(new SourceRecord(records++, now, null, json(rs, meta), origin));
                        if (chunk.size() == BatchIngestor.CHUNK_RECORDS) {
                            totals.add(importer.importBatch(spec, new EventBatch(source, 0, chunk)));
                            chunk = new ArrayList<>();
                        }
                    }
                    if (!chunk.isEmpty()) {
                        totals.add(importer.importBatch(spec, new EventBatch(source, 0, chunk)));
                    }
                }
            }
        } catch (SQLException e) {
            // The driver's message may quote the server's files or paths: only its first line, paths blanked.
            throw new HybridlakeException.BadRequest(sourceTable, "importing " + label + " into " + table
                    + " failed after row " + records + ": " + redacted(e));
        }
        return totals.result(table, label, source, already);
    }

    /** One row as a JSON object of column name (lower case) → value, as the pipeline's decoder reads events. */
    private static byte[] json(ResultSet rs, ResultSetMetaData meta) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                g.writeFieldName(meta.getColumnLabel(c).toLowerCase(Locale.ROOT));
                write(g, rs.getObject(c));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Timestamp t) {
            g.writeString(t.toLocalDateTime().toInstant(ZoneOffset.UTC).toString());
        } else if (v instanceof LocalDateTime t) {
            g.writeString(t.toInstant(ZoneOffset.UTC).toString());
        } else if (v instanceof OffsetDateTime t) {
            g.writeString(t.toInstant().toString());
        } else if (v instanceof Date d) {
            g.writeString(d.toLocalDate().toString());
        } else if (v instanceof LocalDate d) {
            g.writeString(d.toString());
        } else {
            g.writeString(v.toString());
        }
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String redacted(SQLException e) {
        String first = e.getMessage() == null ? "unknown error" : e.getMessage().lines().findFirst().orElse("");
        first = ABSOLUTE_PATH.matcher(first).replaceAll("<path>");
        return (first.length() > 300 ? first.substring(0, 300) + "…" : first)
                + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }

    /** A connection through the driver class the URL policy chose (never one the URL picks for itself). */
    static Connection connect(String driverClass, String url, Optional<String> user,
            Optional<String> password) throws SQLException {
        Properties credentials = new Properties();
        user.ifPresent(u -> credentials.setProperty("user", u));
        password.ifPresent(p -> credentials.setProperty("password", p));
        Driver driver;
        try {
            driver = (Driver) Class.forName(driverClass, true, JdbcImporter.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new SQLException("the JDBC driver " + driverClass + " is not on the class path", e);
        }
        Connection c = driver.connect(url, credentials);
        if (c == null) {
            throw new SQLException("the driver " + driverClass + " does not accept the source's URL");
        }
        return c;
    }
}
