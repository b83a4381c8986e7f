package io.hybridlake.triggers;

import io.hybridlake.runtime.HybridlakeConfig;
import io.hybridlake.runtime.Platform;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.SourceRecord;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The local stream trigger: each Kafka poll (batch mode) becomes one {@link EventBatch} per
 * partition, all handed to the stream path together. The poll is acknowledged only after every batch completed; a batch
 * that keeps failing (storage down) stops the channel after bounded retries, and the next start
 * resumes from the lake.
 */
@ApplicationScoped
public class StreamConsumer {
    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);

    @Inject
    Platform platform;

    @Inject
    HybridlakeConfig config;

    /**
     * The whole poll goes to the stream path at once: one commit per table for all its partitions.
     * Partitions stay in offset order because the next poll is handed over only after this returns.
     */
    @Incoming("events")
    @Blocking
    public void consume(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        List<EventBatch> batches = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            batches.add(toBatch(tp, records.records(tp)));
        }
        processWithRetry(batches);
    }

    static EventBatch toBatch(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
        List<SourceRecord> out = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Map<String, byte[]> headers = Map.of();
            if (r.headers().iterator().hasNext()) {
                headers = new HashMap<>();
                for (Header h : r.headers()) {
                    headers.put(h.key(), h.value());
                }
            }
            out.add(new SourceRecord(r.offset(), r.timestamp(), r.key(), r.value(), headers));
        }
        return new EventBatch(tp.topic(), tp.partition(), out);
    }

    private void processWithRetry(List<EventBatch> batches) throws InterruptedException {
        long backoff = config.stream().initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                platform.streamPath().process(batches);
                return;
            } catch (RuntimeException e) {
                String what = batches.stream().map(b -> b.source() + "@" + b.records().get(0).offset() + ".." + b.lastOffset())
                        .toList().toString();
                if (attempt >= config.stream().maxAttempts()) {
                    LOG.errorf(e, "batches %s failed %d times; stopping the stream consumer"
                            + " (nothing is acknowledged; a restart resumes from the lake)", what, attempt);
                    throw e;
                }
                LOG.warnf("batches %s failed (attempt %d), retrying in %d ms: %s", what, attempt, backoff, e.getMessage());
                Thread.sleep(backoff); // backoff between retries of a failing commit, not synchronisation
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }
}
