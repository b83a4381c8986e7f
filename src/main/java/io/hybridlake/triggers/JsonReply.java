package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

/** A route's JSON answer: the one place that serializes it and sets the content type. */
public final class JsonReply {
    private JsonReply() {
    }

    public static String body(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the answer as JSON: " + e.getMessage(), e);
        }
    }

    public static void send(RoutingContext ctx, ObjectMapper json, Object value) {
        ctx.response().putHeader("content-type", "application/json").end(body(json, value));
    }
}
