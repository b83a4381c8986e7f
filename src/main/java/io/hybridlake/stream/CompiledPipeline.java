package io.hybridlake.stream;

import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.EventDecoder;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.SystemFields;
import io.hybridlake.pipeline.ZoneSchemas;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A pipeline prepared for the stream path: rules, decoder, schemas and column positions resolved once. */
final class CompiledPipeline {
    final PipelineSpec spec;
    final RowRules rules;
    final EventDecoder decoder;
    final TableSchema refinedSchema;
    final TableSchema lateSchema;
    final List<WindowUpdater.Plan> plans;
    final int eventTime;
    final int dedupColumn;
    /** Positions of _partition_key, _enqueued_time, _sequence_number, _device_id. */
    final int[] metadata;

    /** Whether undeclared fields are looked for (the pipeline adds columns and has room for more). */
    boolean discoversFields() {
        return spec.schemaPolicy().addColumns() && spec.addedFields().size() < spec.schemaPolicy().maxAddedColumns();
    }

    CompiledPipeline(PipelineSpec spec, int maxEventBytes) {
        this.spec = spec;
        this.rules = new RowRules(spec);
        this.refinedSchema = ZoneSchemas.refined(rules);
        this.lateSchema = ZoneSchemas.late(rules);
        Set<String> reserved = new HashSet<>();
        ZoneSchemas.merged(rules).columns().forEach(c -> reserved.add(c.name()));
        lateSchema.columns().forEach(c -> reserved.add(c.name()));
        this.decoder = EventDecoder.of(spec, maxEventBytes, reserved);
        this.plans = spec.windows().stream().map(w -> WindowUpdater.Plan.of(w, rules)).toList();
        this.eventTime = rules.columnIndex(spec.eventTime());
        this.dedupColumn = spec.dedup() == null ? -1 : rules.columnIndex(spec.dedup().column());
        this.metadata = new int[] {spec.fieldIndex(SystemFields.PARTITION_KEY), spec.fieldIndex(SystemFields.ENQUEUED_TIME),
                spec.fieldIndex(SystemFields.SEQUENCE_NUMBER), spec.fieldIndex(SystemFields.DEVICE_ID)};
    }
}
