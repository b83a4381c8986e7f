package io.hybridlake.pipeline.expr;

import io.hybridlake.lake.ColumnType;

/** The columns an expression may reference: their position in the row and their type. */
public interface Scope {
    /** Index of the column in the row, or -1 if unknown. */
    int indexOf(String column);

    ColumnType typeOf(int index);
}
