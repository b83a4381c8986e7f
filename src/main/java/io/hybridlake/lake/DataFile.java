package io.hybridlake.lake;

import java.util.Map;

/**
 * One data file of a table version: its path as the log records it, size, partition values (as text),
 * physical row count ({@code numRecords}; -1 if its statistics lack it), and its deletion vector — an
 * id ({@code null} if none) and how many rows it marks deleted.
 */
public record DataFile(String path, long sizeBytes, Map<String, String> partitionValues, long rows,
        String deletionVector, long deletedRows) {
    /** The share of the file's rows its deletion vector marks deleted (0 without one or without a row count). */
    public double deletedShare() {
        return rows > 0 ? (double) deletedRows / rows : 0;
    }

    /** What changes when the file's rows change: the file, or its deletion vector. */
    public String identity() {
        return deletionVector == null ? path : path + "#" + deletionVector;
    }
}
