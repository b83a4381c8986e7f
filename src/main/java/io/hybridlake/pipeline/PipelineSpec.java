package io.hybridlake.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything Hybridlake knows about one table's pipeline, shared by the stream and batch paths:
 * the event schema (the pipeline's fields followed by {@link SystemFields}), key, event time,
 * partitioning and clustering (rows sorted by these columns when the batch path rewrites files, so
 * file and row-group statistics skip data), validation, derived columns, filters, windows, lateness, de-duplication and the
 * curated aggregates of its unified table.
 * {@code dedup} is null when duplicates are kept.
 */
public record PipelineSpec(String table, String description, String sourceFile, String topic, SourceFormat format,
        List<FieldSpec> fields, String key, String eventTime, List<String> partitionBy, List<String> clusterBy,
        ValidationRules rules, List<DerivedColumn> derived, List<FilterRule> filters, List<WindowSpec> windows,
        EventTimePolicy timing, DedupSpec dedup, List<CuratedSpec> curated, SchemaPolicy schemaPolicy,
        MergePolicy merge, List<FieldSpec> addedFields, String text) {

    /**
     * This pipeline with more fields added by schema evolution: the YAML compiled again with them
     * after its declared fields, so every rule, derived column and window resolves as if they had
     * been declared. {@code text} is the YAML as written.
     */
    public PipelineSpec withAddedFields(List<FieldSpec> more) {
        List<FieldSpec> all = new ArrayList<>(addedFields);
        all.addAll(more);
        return PipelineLoader.load(sourceFile, text, all);
    }

    /** The fields as declared in the YAML, without system and added fields. */
    public List<FieldSpec> declaredFields() {
        return fields.stream().filter(f -> !SystemFields.isSystem(f.name()) && !addedFields.contains(f)).toList();
    }

    public int fieldIndex(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public boolean isCdc() {
        return format == SourceFormat.DEBEZIUM;
    }
}
