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

    CacheConfig cache();

    Broker broker();

    StreamConfig stream();

    Pipelines pipelines();

    BatchConfig batch();

    SqlConfig sql();

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
