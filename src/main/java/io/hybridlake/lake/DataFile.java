package io.hybridlake.lake;

import java.util.Map;

/**
 * One data file of a table version: its path as the log records it, size, partition values (as text),
 * and its deletion vector — an id ({@code null} if none) and how many rows it marks deleted.
 */
public record DataFile(String path, long sizeBytes, Map<String, String> partitionValues, String deletionVector,
        long deletedRows) {
    /** What changes when the file's rows change: the file, or its deletion vector. */
    public String identity() {
        return deletionVector == null ? path : path + "#" + deletionVector;
    }
}
