package io.hybridlake.pipeline;

import java.util.List;

/**
 * Everything Hybridlake knows about one table's pipeline, shared by the stream and batch paths:
 * the event schema, key, event time, partitioning, validation, derived columns, filters and windows.
 */
public record PipelineSpec(String table, String description, String sourceFile, String topic,
        List<FieldSpec> fields, String key, String eventTime, List<String> partitionBy,
        ValidationRules rules, List<DerivedColumn> derived, List<FilterRule> filters, List<WindowSpec> windows) {

    public int fieldIndex(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
