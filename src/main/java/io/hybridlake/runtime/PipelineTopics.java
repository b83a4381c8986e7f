package io.hybridlake.runtime;

import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.PipelineCatalog;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The pipelines' topics on the broker (the embedded one, Kafka or Event Hubs' Kafka endpoint): created
 * where the platform runs its own broker, required to exist everywhere else, and the offsets an
 * operator may reset a partition to.
 */
@Singleton
public class PipelineTopics {
    private final PipelineCatalog catalog;
    private final Admin admin;

    PipelineTopics(PipelineCatalog catalog, Admin admin) {
        this.catalog = catalog;
        this.admin = admin;
    }

    /** Creates the topics the broker lacks (the embedded broker only: elsewhere topics are infrastructure). */
    void createMissing(int partitions) {
        try {
            Set<String> existing = existing();
            List<NewTopic> missing = catalog.all().stream().map(catalog::topicOf).filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new HybridlakeException("hybridlake.broker", "cannot create the pipeline topics: " + e.getMessage(), e);
        }
    }

    /** Fails naming each pipeline whose topic the broker does not have. */
    public void requireAll() {
        Map<String, String> topics = new HashMap<>();
        catalog.all().forEach(spec -> topics.put(catalog.topicOf(spec), spec.table()));
        Set<String> existing;
        try {
            existing = existing();
        } catch (Exception e) {
            throw new HybridlakeException("kafka.bootstrap.servers", "cannot list the broker's topics to check the "
                    + "pipelines' sources: " + e.getMessage(), e);
        }
        List<String> missing = topics.keySet().stream().filter(t -> !existing.contains(t)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new HybridlakeException(missing.get(0), missing.stream().map(t -> "pipeline " + topics.get(t)
                    + " reads topic '" + t + "', which the broker does not have").toList() + "; create it (on Event "
                    + "Hubs: an event hub of that name, infra/bicep) or fix source.topic in the pipeline");
        }
    }

    /** The offset {@code to} names for a partition: {@code earliest}, {@code latest} or an offset. */
    public long offset(String topic, int partition, String to) {
        return switch (to) {
            case "earliest" -> brokerOffset(topic, partition, OffsetSpec.earliest());
            case "latest" -> brokerOffset(topic, partition, OffsetSpec.latest());
            default -> {
                long n;
                try {
                    n = Long.parseLong(to);
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 0) {
                    throw new HybridlakeException.BadRequest("to", "'to' is earliest, latest or an offset, not '" + to + "'");
                }
                yield n;
            }
        };
    }

    private Set<String> existing() throws Exception {
        return admin.listTopics().names().get(60, TimeUnit.SECONDS);
    }

    private long brokerOffset(String topic, int partition, OffsetSpec spec) {
        TopicPartition tp = new TopicPartition(topic, partition);
        try {
            return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new HybridlakeException.BadRequest(topic, "cannot read the broker's offsets of " + topic + "["
                    + partition + "]: " + e.getMessage());
        }
    }
}
