package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What every HTTP adapter reads from a caller (a JSON object body, a required field, a whole number,
 * an instant), checked the same way on every host, with a 400 naming the field.
 */
public final class HttpInputs {
    private HttpInputs() {
    }

    /** The body as a JSON object; {@code what} names it in the error. */
    public static JsonNode object(ObjectMapper json, String body, String what) {
        JsonNode node;
        try {
            node = body == null ? null : json.readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new HybridlakeException.BadRequest(what, "the " + what + " must be a JSON object: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new HybridlakeException.BadRequest(what, "the " + what + " must be a JSON object");
        }
        return node;
    }

    /** A required text (or number) field of a body or query, as text. */
    public static String required(JsonNode fields, String name) {
        JsonNode v = fields.path(name);
        if (!v.isTextual() && !v.isNumber()) {
            throw new HybridlakeException.BadRequest(name, "the '" + name + "' parameter is required");
        }
        return v.asText();
    }

    /** An optional whole number; {@code absent} when not given. */
    public static int wholeNumber(String text, String name, int absent) {
        try {
            return text == null ? absent : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new HybridlakeException.BadRequest(name, "'" + name + "' must be a whole number, not '" + text + "'");
        }
    }

    /** An optional ISO-8601 instant; null when not given. */
    public static Instant instant(String text, String name) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new HybridlakeException.BadRequest(name, "'" + name + "' must be an ISO-8601 instant such as "
                    + "2026-11-25T10:00:00Z, not '" + text + "'");
        }
    }
}
