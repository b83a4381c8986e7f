package io.hybridlake.pipeline;

import io.hybridlake.lake.Column;
import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.TableSchema;
import java.util.ArrayList;
import java.util.List;

/** The schemas of a pipeline's tables in each zone. */
public final class ZoneSchemas {
    /** Raw: every record exactly as received, plus where it came from. */
    public static final TableSchema RAW = new TableSchema(List.of(
            Column.required("topic", ColumnType.STRING),
            Column.required("partition", ColumnType.INT),
            Column.required("offset", ColumnType.LONG),
            Column.required("timestamp", ColumnType.TIMESTAMP),
            Column.optional("key", ColumnType.BINARY),
            Column.optional("value", ColumnType.BINARY),
            Column.optional("headers", ColumnType.STRING),
            Column.optional("partition_key", ColumnType.STRING),
            Column.optional("sequence_number", ColumnType.LONG),
            Column.optional("device_id", ColumnType.STRING),
            Column.required("ingest_date", ColumnType.DATE)), List.of("ingest_date"));

    /** Dead letters: the record, why it was rejected, and the field concerned. */
    public static final TableSchema REJECTED = new TableSchema(List.of(
            Column.required("topic", ColumnType.STRING),
            Column.required("partition", ColumnType.INT),
            Column.required("offset", ColumnType.LONG),
            Column.required("timestamp", ColumnType.TIMESTAMP),
            Column.optional("key", ColumnType.BINARY),
            Column.optional("payload", ColumnType.BINARY),
            Column.required("reason", ColumnType.STRING),
            Column.optional("field", ColumnType.STRING),
            Column.required("rejected_at", ColumnType.TIMESTAMP),
            Column.required("rejected_date", ColumnType.DATE)), List.of("rejected_date"));

    /** Lineage columns appended to every refined row. */
    public static final List<Column> REFINED_LINEAGE = List.of(
            Column.required("_source_topic", ColumnType.STRING),
            Column.required("_source_partition", ColumnType.INT),
            Column.required("_source_offset", ColumnType.LONG),
            Column.required("_ingested_at", ColumnType.TIMESTAMP));

    private ZoneSchemas() {
    }

    /** Refined: the pipeline's fields and derived columns, then the lineage columns. */
    public static TableSchema refined(RowRules rules) {
        PipelineSpec spec = rules.spec();
        List<Column> columns = new ArrayList<>();
        int n = spec.fields().size() + spec.derived().size();
        for (int i = 0; i < n; i++) {
            String name = i < spec.fields().size() ? spec.fields().get(i).name()
                    : spec.derived().get(i - spec.fields().size()).name();
            boolean nullable = i >= spec.fields().size() || spec.fields().get(i).nullable()
                    || (spec.isCdc() && !name.equals(spec.key()) && !name.equals(SystemFields.CHANGE_OP)); // deletes
            if (spec.partitionBy().contains(name)) {
                nullable = true; // partition values may be null; Delta stores them as a path segment
            }
            columns.add(new Column(name, rules.columnType(i), nullable));
        }
        columns.addAll(REFINED_LINEAGE);
        return new TableSchema(columns, spec.partitionBy());
    }

    /**
     * The unified table (refined/merged): one row per key, the refined columns of the key's latest
     * event, which layer it came from ({@code source_system}: stream or batch, as in the seed), and
     * whether it is a delete kept as a tombstone ({@code _deleted}; readers skip those rows).
     */
    public static TableSchema merged(RowRules rules) {
        TableSchema refined = refined(rules);
        List<Column> columns = new ArrayList<>(refined.columns());
        columns.add(Column.required("source_system", ColumnType.STRING));
        columns.add(Column.required("_deleted", ColumnType.BOOLEAN));
        return new TableSchema(columns, refined.partitionColumns());
    }

    /** Late events: the refined row, the watermark it missed and by how much. */
    public static TableSchema late(RowRules rules) {
        TableSchema refined = refined(rules);
        List<Column> columns = new ArrayList<>(refined.columns());
        columns.add(Column.required("_watermark", ColumnType.TIMESTAMP));
        columns.add(Column.required("_late_by_ms", ColumnType.LONG));
        return new TableSchema(columns, refined.partitionColumns());
    }
}
