package io.hybridlake.lake;

import io.hybridlake.HybridlakeException;

/** A lake operation failed; the message names the table path and the operation. */
public class LakeException extends HybridlakeException {
    public LakeException(String table, String message, Throwable cause) {
        super(table, message, cause);
    }

    public LakeException(String table, String message) {
        super(table, message);
    }

    @Override
    public String kind() {
        return "lake";
    }
}
