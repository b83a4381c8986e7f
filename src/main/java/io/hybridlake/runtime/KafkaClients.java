package io.hybridlake.runtime;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The {@code kafka.*} settings each kind of client takes: admin (and producer) and consumer. */
public record KafkaClients(Map<String, Object> admin, Map<String, Object> consumer) {
    public KafkaClients {
        admin = Map.copyOf(admin);
        consumer = Map.copyOf(consumer);
    }

    /**
     * A pipeline's stream consumer (group {@code <group>.<table>}): no auto-commit and no offset reset,
     * since every position comes from the lake, checked; micro-batches bounded by size or latency,
     * whichever comes first (fetch.min.bytes / fetch.max.wait.ms / max.poll.records).
     */
    public KafkaConsumer<byte[], byte[]> streamConsumer(String table, StreamConfig stream) {
        Map<String, Object> c = new HashMap<>(consumer);
        StreamConfig.Batch batch = stream.batch();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, stream.groupId() + "." + table);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hybridlake-" + table + "-" + Long.toHexString(System.nanoTime()));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, batch.minBytes());
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, batch.maxLatencyMs());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batch.maxRecords());
        c.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        c.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        c.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1 << 20);
        c.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
