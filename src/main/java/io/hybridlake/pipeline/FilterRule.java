package io.hybridlake.pipeline;

import io.hybridlake.pipeline.expr.Expr;

/** A business filter: events for which the expression is not true are kept in raw but not refined. */
public record FilterRule(String source, Expr expr) {
}
