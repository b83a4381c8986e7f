package io.hybridlake.runtime;

import io.hybridlake.HybridlakeException;
import io.hybridlake.stream.EventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes to Kafka (or Event Hubs' Kafka endpoint) with an idempotent, acks=all producer. */
public final class KafkaEventSink implements EventSink, AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaEventSink(Map<String, Object> clientConfig) {
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000); // Event Hubs' limit
        this.producer = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(List<Event> events) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (Event e : events) {
            acks.add(producer.send(new ProducerRecord<>(e.topic(), e.key(), e.value())));
        }
        producer.flush();
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (ExecutionException e) {
                throw new HybridlakeException(events.get(i).topic(), "publishing event " + i + " of " + events.size()
                        + " to topic " + events.get(i).topic() + " failed: " + e.getCause().getMessage()
                        + "; the " + i + " events before it were published, so resend from event " + i, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HybridlakeException(events.get(i).topic(), "interrupted while publishing", e);
            }
        }
    }

    /** Waits a bounded time for records in flight: on shutdown the broker may already be gone. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
