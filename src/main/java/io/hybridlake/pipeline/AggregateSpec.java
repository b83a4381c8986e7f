package io.hybridlake.pipeline;

/** One aggregate of a window: {@code fn(column) AS name}; count has no column. */
public record AggregateSpec(AggregateFunction fn, String column, String as) {
}
