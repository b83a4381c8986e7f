package io.hybridlake.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All of Hybridlake's settings, under {@code hybridlake.*}. Defaults run the local platform. */
@ConfigMapping(prefix = "hybridlake")
public interface HybridlakeConfig {
    Lake lake();

    Cache cache();

    Broker broker();

    Stream stream();

    Pipelines pipelines();

    BatchPath batch();

    Sql sql();

    Router router();

    Api api();

    Ops ops();

    Eventhubs eventhubs();

    Jdbc jdbc();

    Functions functions();

    Shutdown shutdown();

    /** The Azure Functions custom handler's routes ({@code /StreamEvents_<pipeline>}, {@code /MergeTimer}, …). */
    interface Functions {
        /**
         * Serve them: only where the Functions host calls them (profile {@code functions-native}, on
         * 127.0.0.1). Elsewhere they answer 404, so no caller can forge an Event Hubs delivery.
         */
        @WithDefault("false")
        boolean customHandler();
    }

    interface Shutdown {
        /** A shutdown taking longer than this halts the JVM (the lake is the record; a restart resumes). */
        @WithDefault("30s")
        Duration maxWait();
    }

    /**
     * Databases that imports may read, declared by an operator: {@code hybridlake.jdbc.sources.<name>.url},
     * {@code .user}, {@code .password} (on Azure a Key Vault reference). The API names a source, never a URL.
     */
    interface Jdbc {
        Map<String, Source> sources();

        interface Source {
            String url();

            Optional<String> user();

            Optional<String> password();
        }
    }

    /** Event Hubs through its Kafka endpoint: read by the {@code eventhubs} profiles' {@code kafka.*} settings. */
    interface Eventhubs {
        /** The namespace name ({@code <namespace>.servicebus.windows.net}). */
        Optional<String> namespace();

        /** The namespace's connection string (profile {@code eventhubs}; a Key Vault reference on Azure). */
        Optional<String> connectionString();
    }

    interface Lake {
        /**
         * Root of the lake (raw, refined, curated zones): a local directory, or on Azure
         * {@code abfss://<file system>@<account>.dfs.core.windows.net/<path>} (ADLS Gen2, through the Blob API).
         */
        @WithDefault("./lake")
        String root();

        /**
         * Azure Storage connection string (Azurite, or a key from Key Vault); without it the managed
         * identity is used (DefaultAzureCredential).
         */
        Optional<String> connectionString();

        /** Overrides {@code https://<account>.blob.core.windows.net} (Azurite, sovereign clouds). */
        Optional<String> blobEndpoint();
    }

    interface Cache {
        /** File of the embedded speed cache (H2 MVStore), used when no Cosmos DB endpoint is set. */
        @WithDefault("./data/speed-cache.mv")
        String path();

        Cosmos cosmos();

        /** The speed cache on Azure Cosmos DB (SQL API). */
        interface Cosmos {
            /** Account endpoint, e.g. https://<account>.documents.azure.com:443/; unset = the embedded cache. */
            Optional<String> endpoint();

            /** Account key (tests, emulators); unset = the managed identity (Cosmos DB data contributor role). */
            Optional<String> key();

            @WithDefault("hybridlake")
            String database();

            @WithDefault("speed")
            String container();

            /** Windows not updated for this long expire (per-item TTL). */
            @WithDefault("7d")
            Duration windowTtl();

            /** De-duplication claims expire after this (at least the longest dedup horizon). */
            @WithDefault("2d")
            Duration claimTtl();

            /** How long the SDK retries throttled (429) requests before the poll fails and is re-delivered. */
            @WithDefault("60s")
            Duration maxThrottleWait();

            /** Gateway mode (HTTPS only; emulators, restrictive networks) instead of direct mode. */
            @WithDefault("false")
            boolean gatewayMode();

            /** Create the database and container if absent (Bicep creates them on Azure). */
            @WithDefault("false")
            boolean create();
        }
    }

    interface Broker {
        /** Start an in-process Apache Kafka broker (local platform). Off when using Event Hubs or an external Kafka. */
        @WithDefault("true")
        boolean embedded();

        /** Port of the embedded broker's client listener. */
        @WithDefault("9092")
        int port();

        /** Log directory of the embedded broker; kept across restarts so offsets stay meaningful. */
        @WithDefault("./data/kafka")
        String dataDir();

        /** Partitions of each pipeline topic created on the embedded broker. */
        @WithDefault("2")
        int partitions();
    }

    interface Stream {
        /** Topic of a pipeline without an explicit source.topic: prefix + table name. */
        @WithDefault("hybridlake.")
        String topicPrefix();

        /** Events larger than this are rejected (not dropped) with the reason. */
        @WithDefault("1048576")
        int maxEventBytes();

        /** Whether this instance consumes the pipelines' topics (off where a Functions host delivers events). */
        @WithDefault("true")
        boolean consume();

        /** Where a partition the lake has no mark for starts: {@code earliest} or {@code latest}. */
        @WithDefault("earliest")
        String start();

        /** Consumer group prefix: each pipeline consumes in group {@code <group-id>.<table>}. */
        @WithDefault("hybridlake-stream")
        String groupId();

        /** Readiness: a pipeline is ready once every partition is at most this far behind the end seen at start. */
        @WithDefault("0")
        long readyLag();

        /** First backoff after a failed batch (the pipeline pauses alone); doubles each attempt. */
        @WithDefault("250ms")
        Duration initialBackoff();

        /** Longest backoff between attempts of a pipeline that keeps failing. */
        @WithDefault("60s")
        Duration maxBackoff();

        /** Micro-batch bounds; see application.properties for how they reach the consumer. */
        Batch batch();
    }

    /**
     * How big a micro-batch grows before it is processed: a poll returns once {@code minBytes} are
     * ready or {@code maxLatencyMs} passed (kafka-delta-ingest's size-or-latency rule), at most
     * {@code maxRecords}. Larger bounds mean fewer, bigger files and older data in the speed layer.
     * The broker does the buffering (Kafka fetch.min.bytes / fetch.max.wait.ms; Event Hubs trigger:
     * host.json minEventBatchSize / maxWaitTime), so unprocessed events never sit in our heap.
     */
    interface Batch {
        @WithDefault("200")
        int maxLatencyMs();

        @WithDefault("2097152")
        int minBytes();

        @WithDefault("50000")
        int maxRecords();
    }

    /** The batch path's schedules (Quarkus scheduler locally, TimerTrigger on Azure). */
    interface BatchPath {
        /** How often {@code <lake>/landing/<table>/} is scanned for files to import; "off" disables it. */
        @WithDefault("30s")
        String landingScanEvery();

        /** How often every pipeline's MERGE into refined/merged runs; "off" disables the timer. */
        @WithDefault("60s")
        String mergeEvery();

        /** How often small files are compacted; "off" disables the timer. */
        @WithDefault("10m")
        String compactEvery();

        /** Files smaller than this are compacted... */
        @WithDefault("33554432")
        long smallFileBytes();

        /** ...when a partition has at least this many of them. */
        @WithDefault("8")
        int compactMinFiles();

        /**
         * Heap a MERGE's source rows may take (estimated) before they spill to sorted runs on disk;
         * 0: a quarter of the maximum heap.
         */
        @WithDefault("0")
        long mergeMemoryBytes();

        /** How often unneeded files are vacuumed; "off" disables the timer. */
        @WithDefault("6h")
        String vacuumEvery();

        /** Files a snapshot of this recent past needs are kept (time travel reaches this far); at least 1h. */
        @WithDefault("7d")
        Duration vacuumRetention();
    }

    /** Ad-hoc SQL and the unified query's batch view (embedded DuckDB): per-query bounds. */
    interface Sql {
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

    /** Operations: metrics refresh and when the stream or the batch jobs count as degraded. */
    interface Ops {
        /** How often lag, watermark delay and table figures are re-read for metrics. */
        @WithDefault("15s")
        String metricsRefreshEvery();

        /** Events waiting with no batch completed for this long: the stream is stale. */
        @WithDefault("2m")
        Duration staleAfter();
    }

    /**
     * HTTP API access: keys with roles (header {@code x-functions-key}, as Azure Functions takes them).
     * Keys are never accepted in the URL unless {@code allow-key-in-query} is set: URLs end up in logs.
     */
    interface Api {
        /** Whether HTTP endpoints need a key; health (and the API documentation) never do. */
        @WithDefault("true")
        boolean auth();

        /** Keys of role admin (everything: imports, replay, maintenance, and all that read and ingest may do). */
        Optional<List<String>> adminKeys();

        /** Keys of role read (queries, lookups, SQL, table information, metrics, the dashboard's data). */
        Optional<List<String>> readKeys();

        /** Keys of role ingest (events, files, routed jobs). */
        Optional<List<String>> ingestKeys();

        /** When no key is configured at all, one key per role is generated once into this directory. */
        @WithDefault("./data/api-keys")
        String keyDir();

        /** Accept {@code ?code=<key>} (with a warning per request) for clients that cannot send headers. */
        @WithDefault("false")
        boolean allowKeyInQuery();

        /** Path prefixes served without a key. */
        @WithDefault("/q/health,/q/openapi,/q/swagger-ui,/dashboard,/webjars")
        List<String> publicPaths();
    }

    /** The workload router's rules (Pattern 3), tried in this order; defaults from the seed. */
    interface Router {
        /** A latency requirement under this goes to the stream path. */
        @WithDefault("1m")
        Duration streamLatencyBelow();

        /** More records than this go to the batch path. */
        @WithDefault("1000000")
        long batchRecordsAbove();

        /** A latency requirement of this or more goes to the batch path. */
        @WithDefault("1h")
        Duration batchLatencyAtLeast();

        /** An exploratory job, or one of at most this many records, goes to ad-hoc SQL. */
        @WithDefault("100000")
        long adhocRecordsAtMost();
    }

    interface Pipelines {
        /** Pipelines shipped in the application (classpath pipelines/NAME.yaml). */
        @WithDefault("transactions,user_events")
        List<String> builtin();

        /** A directory whose *.yaml files are loaded as well. */
        Optional<String> dir();
    }
}
