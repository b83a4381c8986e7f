package io.hybridlake.triggers;

import io.hybridlake.runtime.Platform;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * On partition assignment, seeks each partition to the position recorded in the lake (the raw
 * table's transaction id), so the lake, not the consumer group's committed offsets, decides where to
 * resume (as kafka-delta-ingest does).
 */
@ApplicationScoped
@Identifier("hybridlake-resume")
public class ResumeFromLake implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(ResumeFromLake.class);

    @Inject
    Platform platform;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            long next = platform.streamPath().nextOffset(tp.topic(), tp.partition());
            if (next >= 0) {
                LOG.debugf("resuming %s at offset %d from the lake", tp, next);
                consumer.seek(tp, next);
            }
        }
    }
}
