package io.hybridlake.serving.sql;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.LocalFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.duckdb.DuckDBDriver;

/**
 * Sandboxed in-memory DuckDB databases, one per query: files readable only under the lake root (or
 * the directory of a remote lake's local copies), no
 * other file system or network access, no extension installs or loads, bounded threads and memory,
 * and the configuration locked so a query cannot undo any of it. Read-only is enforced separately on
 * the statement ({@link LakeSql}).
 */
public final class DuckDb {
    /**
     * Bounds of every query: rows and bytes of an answer, time, DuckDB's memory and threads, and how
     * many queries run at once (others wait up to {@code queueTimeout}, then get a 429).
     */
    public record Limits(int maxRows, long maxResultBytes, Duration timeout, String memoryLimit, int threads,
            int maxConcurrent, Duration queueTimeout) {
        /** The default byte, concurrency and queue bounds. */
        public Limits(int maxRows, Duration timeout, String memoryLimit, int threads) {
            this(maxRows, 32L << 20, timeout, memoryLimit, threads, 2, Duration.ofSeconds(5));
        }
    }

    /** An open sandboxed database holding one of the concurrency permits until closed. */
    public final class Session implements AutoCloseable {
        private final Connection connection;
        private final LocalFiles files;

        private Session(Connection connection, LocalFiles files) {
            this.connection = connection;
            this.files = files;
        }

        public Connection connection() {
            return connection;
        }

        /** Where this query reads the lake's files from (copies stay until the session closes). */
        public LocalFiles files() {
            return files;
        }

        @Override
        public void close() throws SQLException {
            try {
                connection.close();
            } finally {
                try {
                    files.close();
                } finally {
                    permits.release();
                }
            }
        }
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hybridlake-sql-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final String readableRoot;
    private final Supplier<LocalFiles> files;
    private final Limits limits;
    private final Semaphore permits;

    /** Queries over a lake on the local filesystem under {@code lakeRoot}. */
    public DuckDb(String lakeRoot, Limits limits) {
        this(Path.of(lakeRoot), LocalFiles::onLocalDisk, limits);
    }

    /**
     * Queries that read the lake's files through {@code files} (a lease of local copies per query for a
     * lake on object storage), all of them under {@code readableRoot}, the only directory DuckDB may read.
     */
    public DuckDb(Path readableRoot, Supplier<LocalFiles> files, Limits limits) {
        String root = readableRoot.toAbsolutePath().normalize().toString();
        this.readableRoot = root.endsWith("/") ? root : root + "/";
        this.files = files;
        this.limits = limits;
        this.permits = new Semaphore(Math.max(1, limits.maxConcurrent()), true);
    }

    public Limits limits() {
        return limits;
    }

    /** Queries holding a slot now. */
    public int running() {
        return Math.max(1, limits.maxConcurrent()) - permits.availablePermits();
    }

    /**
     * A new sandboxed database once a concurrency permit is free (a {@link HybridlakeException.TooBusy}
     * after the queue timeout); the caller defines its views, then runs the query.
     */
    public Session open(String subject) throws SQLException {
        try {
            if (!permits.tryAcquire(limits.queueTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                int retry = (int) Math.max(1, limits.queueTimeout().toSeconds());
                throw new HybridlakeException.TooBusy(subject, limits.maxConcurrent() + " queries are running (the "
                        + "limit, hybridlake.sql.max-concurrent) and none finished within " + limits.queueTimeout()
                        .toMillis() + " ms; retry after " + retry + " s", retry);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HybridlakeException(subject, "interrupted while waiting for a query slot");
        }
        try {
            return new Session(sandboxed(), files.get());
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection sandboxed() throws SQLException {
        Properties properties = new Properties();
        // Results are materialized in DuckDB (within its memory limit), so an error raised while rows are
        // produced (the row-size check of LakeSql) arrives with its message; queries bound their own rows.
        properties.setProperty("jdbc_stream_results", "false");
        // the driver itself, not DriverManager's registry (which can lose drivers when a class loader closes)
        Connection c = new DuckDBDriver().connect("jdbc:duckdb:", properties);
        try (Statement s = c.createStatement()) {
            s.execute("SET threads = " + limits.threads());
            s.execute("SET memory_limit = '" + limits.memoryLimit().replace("'", "") + "'");
            s.execute("SET TimeZone = 'UTC'");
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            s.execute("SET allowed_directories = ['" + readableRoot.replace("'", "''") + "']");
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
                    throw new HybridlakeException.TimedOut(subject, "the query ran longer than the limit of "
                            + limits.timeout().toSeconds() + " s (hybridlake.sql.timeout) and was cancelled");
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
