package io.hybridlake.runtime;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Ad-hoc SQL and the unified query's batch view (embedded DuckDB): per-query bounds. */
public interface SqlConfig {
    /** Most rows a query returns (the answer says when it was cut). */
    @WithDefault("10000")
    int maxRows();

    /** An answer larger than this (bytes, as JSON text) is refused with a 413 instead of being held in memory. */
    @WithDefault("33554432")
    long maxResultBytes();

    /** A query running longer is cancelled (504). */
    @WithDefault("30s")
    Duration timeout();

    /** DuckDB's memory limit per query (its own buffers; the JVM's heap holds only the bounded answer). */
    @WithDefault("512MB")
    String memoryLimit();

    @WithDefault("2")
    int threads();

    /** Queries (ad-hoc SQL, the unified query's batch part) running at once; more wait in line. */
    @WithDefault("2")
    int maxConcurrent();

    /** How long a query waits for a free slot before a 429 with Retry-After. */
    @WithDefault("5s")
    Duration queueTimeout();

    /**
     * A lake on Azure Storage: the directory of the local copies of data files SQL reads (the
     * system's temporary directory if absent).
     */
    Optional<String> cacheDir();

    /** A lake on Azure Storage: the most bytes of local copies kept for SQL (one query may not need more). */
    @WithDefault("4294967296")
    long cacheBytes();
}
