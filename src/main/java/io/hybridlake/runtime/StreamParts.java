package io.hybridlake.runtime;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.azure.AzureLake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.stream.PipelineStates;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The pipelines, the lake, the speed cache and the stream path as beans. Producing one opens it and
 * nothing more: {@link PlatformLifecycle} checks the lake and reconciles the pipelines at start-up.
 */
@Singleton
public class StreamParts {
    /** A bad spec stops start-up with its file and line. */
    @Produces
    @Singleton
    PipelineCatalog catalog(HybridlakeConfig config) {
        return new PipelineCatalog(PlatformParts.loadPipelines(config.pipelines()), config.stream().topicPrefix());
    }

    @Produces
    @Singleton
    Lake lake(HybridlakeConfig config) {
        HybridlakeConfig.Lake c = config.lake();
        return AzureLake.isAzure(c.root()) ? AzureLake.open(c.root(), c.connectionString(), c.blobEndpoint())
                : Lake.local(Path.of(c.root()));
    }

    void closeLake(@Disposes Lake lake) {
        lake.close();
    }

    /** Cosmos DB when an endpoint is configured (Azure), else the embedded durable store. */
    @Produces
    @Singleton
    SpeedCache cache(HybridlakeConfig config) {
        return PlatformParts.openCache(config.cache());
    }

    void closeCache(@Disposes SpeedCache cache) {
        cache.close();
    }

    @Produces
    @Singleton
    StreamPath streamPath(Lake lake, PipelineCatalog catalog, SpeedCache cache, HybridlakeConfig config) {
        return new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(),
                config.stream().maxEventBytes());
    }

    @Produces
    @Singleton
    StreamMetrics metrics(StreamPath streamPath) {
        return streamPath.metrics();
    }

    /** How each pipeline's stream consumer is doing on this instance (health, readiness, the API). */
    @Produces
    @Singleton
    PipelineStates pipelineStates() {
        return new PipelineStates(System::currentTimeMillis);
    }
}
