package io.hybridlake.pipeline.expr;

/** An expression does not parse or does not type-check; the loader adds file, line and field. */
public class ExprException extends RuntimeException {
    public ExprException(String message) {
        super(message);
    }
}
