package io.hybridlake.pipeline;

import java.util.List;

/**
 * A curated aggregate of the unified table (the seed's warehouse zone), e.g. daily totals per
 * customer: {@code curated/warehouse/<name>}, grouped by {@code groupBy}, partitioned by the
 * pipeline's first partition column (which the grouping includes), so a change recomputes only the
 * partitions it touched. Aggregates: count, sum, min, max, avg.
 */
public record CuratedSpec(String name, List<String> groupBy, List<AggregateSpec> aggregates) {
}
