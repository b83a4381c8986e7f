package io.hybridlake.serving.sql;

import io.hybridlake.HybridlakeException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sandboxed in-memory DuckDB databases, one per query: files readable only under the lake root, no
 * other file system or network access, no extension installs or loads, bounded threads and memory,
 * and the configuration locked so a query cannot undo any of it. Read-only is enforced separately on
 * the statement ({@link LakeSql}).
 */
public final class DuckDb {
    /** Bounds of every query. */
    public record Limits(int maxRows, Duration timeout, String memoryLimit, int threads) {
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hybridlake-sql-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final String lakeRoot;
    private final Limits limits;

    public DuckDb(String lakeRoot, Limits limits) {
        this.lakeRoot = lakeRoot.endsWith("/") ? lakeRoot : lakeRoot + "/";
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /** A new sandboxed database; the caller defines its views, then runs the query. */
    public Connection open() throws SQLException {
        if (lakeRoot.contains("://")) {
            throw new HybridlakeException.BadRequest(lakeRoot, "ad-hoc SQL reads a lake on the local filesystem; "
                    + "the lake at " + lakeRoot + " is in Azure Storage, which DuckDB reads only through its azure "
                    + "extension, downloaded at run time and not bundled here: query the lake's Delta tables from "
                    + "Synapse serverless SQL or Databricks, or the API's tableRows/unified functions");
        }
        Properties properties = new Properties();
        properties.setProperty("jdbc_stream_results", "true"); // rows past the limit are never materialized
        // the driver itself, not DriverManager's registry (which can lose drivers when a class loader closes)
        Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", properties);
        try (Statement s = c.createStatement()) {
            s.execute("SET threads = " + limits.threads());
            s.execute("SET memory_limit = '" + limits.memoryLimit().replace("'", "") + "'");
            s.execute("SET TimeZone = 'UTC'");
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            s.execute("SET allowed_directories = ['" + lakeRoot.replace("'", "''") + "']");
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Work on a statement, cancelled when it runs past the time limit. */
    public interface StatementWork<T> {
        T run(Statement statement) throws SQLException;
    }

    public <T> T withTimeout(Connection c, String subject, StatementWork<T> work) throws SQLException {
        try (Statement s = c.createStatement()) {
            AtomicBoolean cancelled = new AtomicBoolean();
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                cancelled.set(true);
                try {
                    s.cancel();
                } catch (SQLException ignored) {
                    // the statement finished meanwhile
                }
            }, limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                return work.run(s);
            } catch (SQLException e) {
                if (cancelled.get()) {
                    throw new HybridlakeException.BadRequest(subject, "the query ran longer than the limit of "
                            + limits.timeout().toSeconds() + " s and was cancelled");
                }
                throw e;
            } finally {
                watchdog.cancel(false);
            }
        }
    }

    /** A SQL string literal. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** A quoted SQL identifier. */
    static String identifier(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
