package io.hybridlake.pipeline;

import io.hybridlake.lake.ColumnType;

/** One field of the events a pipeline accepts. */
public record FieldSpec(String name, ColumnType type, boolean nullable) {
}
