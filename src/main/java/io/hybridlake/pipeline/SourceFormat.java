package io.hybridlake.pipeline;

/** How a pipeline's events are encoded on the wire. */
public enum SourceFormat {
    /** One JSON object per event, the pipeline's fields at the top level. */
    JSON,
    /** Debezium's change-event envelope ({@code op}, {@code before}, {@code after}, {@code source}). */
    DEBEZIUM
}
