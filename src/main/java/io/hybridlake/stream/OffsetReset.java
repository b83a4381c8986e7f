package io.hybridlake.stream;

/**
 * What an operator's offset reset did: the partition's next offset in the lake's sequence, the broker
 * offset it now maps to, the shift between the two, and the raw/stream version that recorded it.
 */
public record OffsetReset(String table, String topic, int partition, long lakeNext, long brokerOffset, long shift,
        long version) {
}
