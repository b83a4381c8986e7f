package io.hybridlake.pipeline;

/**
 * What a pipeline's tables may do when the data changes shape ({@code schema:} in the YAML). With
 * {@code evolution: add-columns}, a new top-level field in incoming events or files becomes a new
 * optional column of the pipeline's tables (old rows read null), up to {@code max_added_columns};
 * otherwise undeclared fields stay in raw only. A change that is not an addition (a type changed, a
 * field made required) is refused either way.
 */
public record SchemaPolicy(boolean addColumns, int maxAddedColumns) {
    public static final SchemaPolicy FIXED = new SchemaPolicy(false, 0);
    public static final int DEFAULT_MAX_ADDED_COLUMNS = 100;
}
