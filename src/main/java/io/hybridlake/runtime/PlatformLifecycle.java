package io.hybridlake.runtime;

import io.hybridlake.lake.Lake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.stream.PipelineEvolution;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * What the local platform starts, in order, before any trigger runs (the stream consumers, the
 * scheduler and the meters observe start-up after it): the embedded broker and the pipelines' topics,
 * then the lake checked writable and each pipeline's tables reconciled with its YAML. The broker stops
 * after the stream consumers.
 */
@Singleton
public class PlatformLifecycle {
    private static final Logger LOG = Logger.getLogger(PlatformLifecycle.class);

    private final HybridlakeConfig config;
    private final PipelineCatalog catalog;
    private final Lake lake;
    private final PipelineTopics topics;
    private EmbeddedKafka broker;

    PlatformLifecycle(HybridlakeConfig config, PipelineCatalog catalog, Lake lake, PipelineTopics topics) {
        this.config = config;
        this.catalog = catalog;
        this.lake = lake;
        this.topics = topics;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        HybridlakeConfig.Broker b = config.broker();
        if (b.embedded()) {
            broker = EmbeddedKafka.start(Path.of(b.dataDir()), b.port(), b.partitions());
            topics.createMissing(b.partitions());
        }
        lake.checkWritable();
        PipelineEvolution evolution = new PipelineEvolution(lake, catalog);
        catalog.all().stream().toList().forEach(evolution::reconcile); // columns added earlier, YAML edits
        LOG.infof("Hybridlake ready: pipelines %s, lake %s", catalog.all().stream().map(PipelineSpec::table).toList(),
                lake.root());
    }

    /** After the stream consumers stopped (they observe shutdown at the default priority). */
    void stop(@Observes @Priority(5000) ShutdownEvent event) {
        if (broker != null) {
            broker.close();
        }
    }
}
