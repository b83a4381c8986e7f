package io.hybridlake.stream;

import io.hybridlake.pipeline.Timestamps;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Event Hubs / IoT Hub metadata of a record as Event Hubs' Kafka endpoint presents it: AMQP system
 * properties appear as headers ({@code x-opt-partition-key}, {@code x-opt-enqueued-time},
 * {@code x-opt-sequence-number}; IoT Hub adds {@code iothub-connection-device-id}). Where a header is
 * absent (plain Kafka), the Kafka equivalents are used: record key, timestamp and offset.
 */
record SourceMetadata(String partitionKey, long enqueuedMicros, long sequenceNumber, String deviceId) {

    static SourceMetadata of(SourceRecord r) {
        Map<String, byte[]> h = r.headers() == null ? Map.of() : r.headers();
        String partitionKey = text(h.get("x-opt-partition-key"));
        if (partitionKey == null && r.key() != null) {
            partitionKey = new String(r.key(), StandardCharsets.UTF_8);
        }
        Long enqueued = timeMicros(h.get("x-opt-enqueued-time"));
        Long sequence = number(h.get("x-opt-sequence-number"));
        return new SourceMetadata(partitionKey, enqueued != null ? enqueued : r.timestampMillis() * 1000,
                sequence != null ? sequence : r.offset(), text(h.get("iothub-connection-device-id")));
    }

    private static String text(byte[] v) {
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** A decimal number, or an 8-byte big-endian long (how a binary AMQP long arrives). */
    private static Long number(byte[] v) {
        if (v == null) {
            return null;
        }
        String s = text(v).strip();
        if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.parseLong(s);
        }
        return v.length == Long.BYTES ? ByteBuffer.wrap(v).getLong() : null;
    }

    /** Epoch milliseconds (text or binary) or an ISO-8601 instant, as micros; null if unreadable. */
    private static Long timeMicros(byte[] v) {
        Long ms = number(v);
        if (ms != null) {
            return ms * 1000;
        }
        try {
            return v == null ? null : Timestamps.parseMicros(text(v).strip());
        } catch (RuntimeException e) {
            return null; // the record timestamp is the fallback
        }
    }
}
