package io.hybridlake.pipeline;

/**
 * Window aggregate functions. avg is kept as sum and count and divided when read; count_distinct is
 * exact up to 256 distinct values per window and a HyperLogLog estimate (2048 registers, standard
 * error about 2.3%) beyond.
 */
public enum AggregateFunction {
    COUNT, SUM, MIN, MAX, AVG, COUNT_DISTINCT;

    public boolean needsColumn() {
        return this != COUNT;
    }

    public boolean needsNumber() {
        return this != COUNT && this != COUNT_DISTINCT;
    }
}
