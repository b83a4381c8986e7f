package io.hybridlake.lake;

import java.util.Map;

/** One data file of a table version: its path as the log records it, size, and partition values (as text). */
public record DataFile(String path, long sizeBytes, Map<String, String> partitionValues) {
}
