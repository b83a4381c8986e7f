package io.hybridlake.triggers;

import io.hybridlake.runtime.HybridlakeConfig;
import io.hybridlake.runtime.Platform;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.SourceRecord;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The local stream trigger: each Kafka poll (batch mode) becomes one {@link EventBatch} per
 * partition for the stream path. The poll is acknowledged only after every batch completed; a batch
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

    private ExecutorService partitionWorkers;

    @PostConstruct
    void init() {
        partitionWorkers = Executors.newFixedThreadPool(config.stream().parallelism(), r -> {
            Thread t = new Thread(r, "hybridlake-partition-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void shutdown() {
        partitionWorkers.shutdownNow();
    }

    /**
     * Partitions of one poll are independent (own transaction ids, own high-water marks), so they are
     * processed in parallel; within a partition, batches stay in offset order because the next poll
     * is only handed over after this one returns.
     */
    @Incoming("events")
    @Blocking
    public void consume(ConsumerRecords<byte[], byte[]> records) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            EventBatch batch = toBatch(tp, records.records(tp));
            running.add(partitionWorkers.submit(() -> {
                processWithRetry(batch);
                return null;
            }));
        }
        Exception failure = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            }
        }
        if (failure != null) {
            throw failure; // nack: nothing of this poll is acknowledged
        }
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

    private void processWithRetry(EventBatch batch) throws InterruptedException {
        long backoff = config.stream().initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                platform.streamPath().process(batch);
                return;
            } catch (RuntimeException e) {
                if (attempt >= config.stream().maxAttempts()) {
                    LOG.errorf(e, "batch %s offsets %d..%d failed %d times; stopping the stream consumer"
                            + " (nothing is acknowledged; a restart resumes from the lake)", batch.source(),
                            batch.records().get(0).offset(), batch.lastOffset(), attempt);
                    throw e;
                }
                LOG.warnf("batch %s offsets %d..%d failed (attempt %d), retrying in %d ms: %s", batch.source(),
                        batch.records().get(0).offset(), batch.lastOffset(), attempt, backoff, e.getMessage());
                Thread.sleep(backoff); // backoff between retries of a failing commit, not synchronisation
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }
}
