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
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The seed's Phase 3 migration: copies a table of a relational database (any JDBC driver on the
 * classpath: PostgreSQL, H2, ...) into raw/batch and refined/batch through the pipeline's rules,
 * a chunk at a time over one streaming cursor. Rows are read in key order, so a run is a source
 * {@code jdbc:<hash of url, table, run>} whose offsets are row numbers: re-running the same run
 * resumes after its last completed chunk or does nothing; a new run name imports again, and MERGE keeps
 * the latest version of each key. Column names map to the pipeline's fields (case-insensitive);
 * timestamps without a zone are read as UTC.
 */
public final class JdbcImporter {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final JsonFactory JSON = new JsonFactory();

    private final PipelineCatalog catalog;
    private final RecordImporter importer;
    private final LongSupplier clock;

    public JdbcImporter(PipelineCatalog catalog, RecordImporter importer, LongSupplier clockMillis) {
        this.catalog = catalog;
        this.importer = importer;
        this.clock = clockMillis;
    }

    public BatchIngestor.Result importTable(String table, String url, String user, String password, String sourceTable,
            String run) {
        PipelineSpec spec = catalog.table(table);
        if (sourceTable == null || !IDENTIFIER.matcher(sourceTable).matches()) {
            throw new HybridlakeException.BadRequest(String.valueOf(sourceTable), "source table '" + sourceTable
                    + "' must be a plain (optionally schema-qualified) SQL identifier");
        }
        String runName = run == null || run.isBlank() ? "initial" : run;
        String source = "jdbc:" + hash(url + "|" + sourceTable.toLowerCase(Locale.ROOT) + "|" + runName);
        String label = sourceTable + " (" + runName + ")";
        ImportTotals totals = new ImportTotals();
        long records = 0;
        boolean already = importer.lastCompleted(spec, source) >= 0;
        try (Connection db = connect(url, user, password)) {
            db.setAutoCommit(false); // lets drivers such as PostgreSQL stream with a fetch size
            db.setReadOnly(true);
            try (Statement st = db.createStatement()) {
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
            throw new HybridlakeException(sourceTable, "importing " + label + " into " + table + " failed after row "
                    + records + ": " + e.getMessage(), e);
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
        } else if (v instanceof java.sql.Timestamp t) {
            g.writeString(t.toLocalDateTime().toInstant(ZoneOffset.UTC).toString());
        } else if (v instanceof LocalDateTime t) {
            g.writeString(t.toInstant(ZoneOffset.UTC).toString());
        } else if (v instanceof OffsetDateTime t) {
            g.writeString(t.toInstant().toString());
        } else if (v instanceof java.sql.Date d) {
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

    /**
     * A connection from the driver that accepts the URL, found on the class path each time (the
     * DriverManager's registry can lose drivers when a class loader of the application is closed).
     */
    static Connection connect(String url, String user, String password) throws SQLException {
        java.util.Properties credentials = new java.util.Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        for (java.sql.Driver driver : java.util.ServiceLoader.load(java.sql.Driver.class, JdbcImporter.class.getClassLoader())) {
            if (driver.acceptsURL(url)) {
                return driver.connect(url, credentials);
            }
        }
        return DriverManager.getConnection(url, credentials);
    }
}
