package io.hybridlake.pipeline;

/** Window aggregate functions. avg is kept as sum and count and divided when read. */
public enum AggregateFunction {
    COUNT, SUM, MIN, MAX, AVG;

    public boolean needsColumn() {
        return this != COUNT;
    }
}
