package io.hybridlake.pipeline.expr;

import io.hybridlake.lake.ColumnType;

/**
 * A compiled, type-checked expression over an event row. Values: String, Long (LONG, and INT widened),
 * Double, Boolean, Long micros (TIMESTAMP), Integer days (DATE), or null. Null in, null out, as in SQL.
 */
public interface Expr {
    ColumnType type();

    Object eval(Object[] row);
}
