package io.hybridlake.runtime;

import io.hybridlake.HybridlakeException;
import io.hybridlake.stream.Replay;
import io.hybridlake.stream.SourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads ranges of a topic partition again for a replay, with its own consumer (no group: it never
 * commits offsets and does not disturb the stream consumers). Refuses offsets the broker no longer
 * holds (retention), naming the earliest one it does.
 */
final class BrokerRecords implements Replay.RecordSource, AutoCloseable {
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final int EMPTY_POLLS_BEFORE_GIVING_UP = 15;
    private final KafkaConsumer<byte[], byte[]> consumer;

    BrokerRecords(Map<String, Object> clientConfig) {
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The topic's partitions, as the broker has them. */
    List<Integer> partitions(String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> p.partition()).sorted().toList();
    }

    @Override
    public List<SourceRecord> read(String topic, int partition, long fromOffset, long toOffset, int max) {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        long earliest = consumer.beginningOffsets(List.of(tp)).get(tp);
        if (fromOffset < earliest) {
            throw new HybridlakeException.BadRequest(topic, "offset " + fromOffset + " of " + topic + "[" + partition
                    + "] is no longer on the broker (retention); the earliest it holds is " + earliest);
        }
        consumer.seek(tp, fromOffset);
        List<SourceRecord> out = new ArrayList<>();
        for (int empty = 0; out.isEmpty() && empty < EMPTY_POLLS_BEFORE_GIVING_UP; empty++) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(tp)) {
                if (r.offset() > toOffset || out.size() >= max) {
                    break;
                }
                out.add(KafkaRecords.toSource(r));
            }
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
