package io.hybridlake.pipeline;

import io.hybridlake.pipeline.expr.Expr;

/** A column computed from the event's fields (and earlier derived columns) by an expression. */
public record DerivedColumn(String name, String source, Expr expr) {
}
