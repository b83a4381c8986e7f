package io.hybridlake.runtime;

import io.hybridlake.stream.SourceRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** A Kafka record as the stream path's {@link SourceRecord}: offset, timestamp, key, value and headers. */
public final class KafkaRecords {
    private KafkaRecords() {
    }

    public static SourceRecord toSource(ConsumerRecord<byte[], byte[]> r) {
        Map<String, byte[]> headers = Map.of();
        if (r.headers().iterator().hasNext()) {
            headers = new HashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value());
            }
        }
        return new SourceRecord(r.offset(), r.timestamp(), r.key(), r.value(), headers);
    }
}
