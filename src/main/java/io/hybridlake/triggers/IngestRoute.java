package io.hybridlake.triggers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.stream.Ingestor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code POST /tables/{table}/events}: a JSON array or NDJSON (one event per line) body, published
 * to the table's topic. Each NDJSON line is sent as received, even if it is not valid JSON: the
 * stream path rejects it into {@code _rejected/<table>} with the reason, so nothing is lost.
 */
@ApplicationScoped
public class IngestRoute {
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    @Inject
    Ingestor ingestor;

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        BodyLimit.on(router.post("/tables/:table/events"), MAX_BODY_BYTES).blockingHandler(this::handle, false);
    }

    private void handle(RoutingContext ctx) {
        String table = ctx.pathParam("table");
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            ctx.fail(new HybridlakeException.BadRequest(table, "the request body is empty; send a JSON array or NDJSON"));
            return;
        }
        try {
            List<byte[]> events = firstNonBlank(body.getBytes()) == '[' ? splitArray(body.getBytes(), table)
                    : splitLines(body.getBytes());
            Ingestor.Receipt receipt = ingestor.ingest(table, events);
            ctx.response().putHeader("content-type", "application/json").setStatusCode(202)
                    .end(json.writeValueAsString(receipt));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }

    private static int firstNonBlank(byte[] b) {
        for (byte c : b) {
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return -1;
    }

    private List<byte[]> splitArray(byte[] body, String table) {
        List<byte[]> out = new ArrayList<>();
        try (JsonParser p = json.getFactory().createParser(body)) {
            p.nextToken();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                ByteArrayOutputStream element = new ByteArrayOutputStream();
                try (var g = json.getFactory().createGenerator(element)) {
                    g.copyCurrentStructure(p);
                }
                out.add(element.toByteArray());
            }
        } catch (JsonProcessingException e) {
            throw new HybridlakeException.BadRequest(table, "the body is not a valid JSON array (" + e.getOriginalMessage()
                    + "); send NDJSON to have malformed events recorded in _rejected instead");
        } catch (IOException e) {
            throw new HybridlakeException.BadRequest(table, "the body could not be read: " + e.getMessage());
        }
        return out;
    }

    static List<byte[]> splitLines(byte[] body) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                byte[] line = Arrays.copyOfRange(body, start, end);
                if (firstNonBlank(line) != -1) {
                    out.add(line);
                }
                start = i + 1;
            }
        }
        return out;
    }
}
