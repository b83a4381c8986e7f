package io.hybridlake.lake;

/** The column types Hybridlake tables use. Timestamps are UTC microseconds, dates days since epoch. */
public enum ColumnType {
    STRING, INT, LONG, DOUBLE, BOOLEAN, TIMESTAMP, DATE, BINARY;

    /** Whether values are stored in a long lane (LONG, TIMESTAMP) of a {@link RowBatch}. */
    boolean longLane() {
        return this == LONG || this == TIMESTAMP;
    }

    /** Whether values are stored in an int lane (INT, DATE) of a {@link RowBatch}. */
    boolean intLane() {
        return this == INT || this == DATE;
    }
}
