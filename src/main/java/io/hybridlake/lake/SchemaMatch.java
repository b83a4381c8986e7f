package io.hybridlake.lake;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows meet a table by column name, not position, because other engines write the same tables:
 * delta-spark's {@code ADD COLUMNS} appends a nullable column (written as null here, kept for readers)
 * and column order may differ from the pipeline's. What cannot be written is said exactly: a column the
 * rows have and the table lacks, a type that differs, a required column the rows do not fill, different
 * partitioning — each naming the table, the column and what to do.
 */
final class SchemaMatch {
    private SchemaMatch() {
    }

    /** The table's schema the rows can be written under, or a {@link LakeException} saying what differs. */
    static TableSchema target(String table, TableSchema tableSchema, TableSchema rows) {
        List<String> problems = new ArrayList<>();
        if (!tableSchema.partitionColumns().equals(rows.partitionColumns())) {
            problems.add("the table is partitioned by " + tableSchema.partitionColumns() + ", the rows by "
                    + rows.partitionColumns() + " (re-partitioning needs a new table)");
        }
        for (Column r : rows.columns()) {
            int at = tableSchema.indexOf(r.name());
            if (at < 0) {
                problems.add("the rows have column '" + r.name() + "' (" + r.type() + ") which the table lacks (set "
                        + "'schema: {evolution: add-columns}' in the pipeline, or add it to the table)");
                continue;
            }
            Column t = tableSchema.column(at);
            if (t.type() != r.type()) {
                problems.add("column '" + r.name() + "' is " + t.type() + " in the table and " + r.type()
                        + " in the rows (a type changed by another writer: change it back, or widen the pipeline's field)");
            } else if (!t.nullable() && r.nullable()) {
                problems.add("column '" + r.name() + "' is required in the table but optional in the pipeline");
            }
        }
        for (Column t : tableSchema.columns()) {
            if (rows.indexOf(t.name()) < 0 && !t.nullable()) {
                problems.add("the table has required column '" + t.name() + "' that the pipeline does not write "
                        + "(make it nullable, or declare it in the pipeline)");
            }
        }
        if (!problems.isEmpty()) {
            throw new LakeException(table, "cannot write to table " + table + ": " + String.join("; ", problems));
        }
        return tableSchema;
    }
}
