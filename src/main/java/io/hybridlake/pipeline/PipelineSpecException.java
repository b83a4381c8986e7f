package io.hybridlake.pipeline;

import io.hybridlake.HybridlakeException;

/** A pipeline YAML is invalid. The message starts with {@code file:line} and names the field. */
public class PipelineSpecException extends HybridlakeException {
    public PipelineSpecException(String file, int line, String field, String message) {
        super(file + ":" + line, file + ":" + line + ": " + field + ": " + message);
    }

    @Override
    public String kind() {
        return "pipeline-spec";
    }
}
