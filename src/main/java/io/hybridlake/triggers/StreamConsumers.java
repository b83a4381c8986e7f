package io.hybridlake.triggers;

import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.runtime.HybridlakeConfig;
import io.hybridlake.runtime.KafkaClients;
import io.hybridlake.runtime.PipelineTopics;
import io.hybridlake.runtime.StreamConfig;
import io.hybridlake.stream.PipelineStates;
import io.hybridlake.stream.StreamPath;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The local (and Event Hubs Kafka endpoint) stream trigger: one {@link PipelineConsumer} per pipeline,
 * subscribed to exactly the topic the pipeline names, whatever its name. A topic that does not exist
 * stops start-up naming the pipeline. Off where the Functions host delivers the events.
 */
@ApplicationScoped
public class StreamConsumers {
    @Inject
    PipelineCatalog catalog;

    @Inject
    StreamPath streamPath;

    @Inject
    PipelineStates pipelineStates;

    @Inject
    PipelineTopics topics;

    @Inject
    KafkaClients kafkaClients;

    @Inject
    HybridlakeConfig config;

    private final Map<String, PipelineConsumer> consumers = new ConcurrentHashMap<>();
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent event) {
        StreamConfig s = config.stream();
        if (!s.consume()) {
            return;
        }
        topics.requireAll();
        PipelineConsumer.Settings settings = new PipelineConsumer.Settings(!"latest".equalsIgnoreCase(s.start()),
                s.readyLag(), s.initialBackoff(), s.maxBackoff(), Duration.ofMillis(s.batch().maxLatencyMs()));
        for (PipelineSpec spec : catalog.all()) {
            String topic = catalog.topicOf(spec);
            PipelineConsumer c = new PipelineConsumer(spec.table(), topic, kafkaClients.streamConsumer(spec.table(), s),
                    streamPath, pipelineStates, settings);
            consumers.put(spec.table(), c);
            Thread t = new Thread(c, "hybridlake-stream-" + spec.table());
            t.setDaemon(true);
            threads.put(spec.table(), t);
            t.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        consumers.values().forEach(PipelineConsumer::stop);
        for (Thread t : threads.values()) {
            t.join(TimeUnit.SECONDS.toMillis(15)); // a poll in progress finishes or the shutdown watchdog ends us
        }
    }

    /** Whether this instance runs a stream consumer for the pipeline (not where a Functions host delivers events). */
    boolean consumes(String table) {
        return consumers.containsKey(table);
    }

    /** The pipeline's consumer re-checks its held partitions (after an operator reset them). */
    public void recheck(String table) {
        PipelineConsumer c = consumers.get(table);
        if (c != null) {
            c.recheck();
        }
    }
}
