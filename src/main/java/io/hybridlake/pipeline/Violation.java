package io.hybridlake.pipeline;

/** Why an event was rejected, and the field concerned (null when the event as a whole is bad). */
public record Violation(String field, String reason) {
}
