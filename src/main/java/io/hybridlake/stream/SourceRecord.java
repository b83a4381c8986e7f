package io.hybridlake.stream;

import java.util.Map;

/** One event as the broker delivered it. {@code timestampMillis} is the producer's (or broker's) time. */
public record SourceRecord(long offset, long timestampMillis, byte[] key, byte[] value, Map<String, byte[]> headers) {
}
