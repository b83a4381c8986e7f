package io.hybridlake.runtime;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

public interface CacheConfig {
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
