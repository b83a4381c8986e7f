package io.hybridlake.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request body of events cut into one byte array per event, for {@link Ingestor}: a JSON array is
 * split element by element (it must parse: a broken array has no trustworthy boundaries), NDJSON line
 * by line as received, so that a malformed line reaches the stream path and is rejected there with
 * its reason instead of being lost here.
 */
public final class EventBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventBodies() {
    }

    /** A JSON array's elements, or NDJSON's non-blank lines; the table names the request in errors. */
    public static List<byte[]> split(byte[] body, String table) {
        if (body == null || firstNonBlank(body) == -1) {
            throw new HybridlakeException.BadRequest(table, "the request body is empty; send a JSON array or NDJSON");
        }
        return firstNonBlank(body) == '[' ? arrayElements(body, table) : lines(body);
    }

    /** Each JSON event serialised on its own (the events of a JSON request that was parsed already). */
    public static List<byte[]> of(Iterable<JsonNode> events) {
        List<byte[]> out = new ArrayList<>();
        try {
            for (JsonNode e : events) {
                out.add(JSON.writeValueAsBytes(e));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
        return out;
    }

    static List<byte[]> lines(byte[] body) {
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

    private static List<byte[]> arrayElements(byte[] body, String table) {
        JsonFactory factory = JSON.getFactory();
        List<byte[]> out = new ArrayList<>();
        try (JsonParser p = factory.createParser(body)) {
            p.nextToken();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                ByteArrayOutputStream element = new ByteArrayOutputStream();
                try (JsonGenerator g = factory.createGenerator(element)) {
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

    private static int firstNonBlank(byte[] b) {
        for (byte c : b) {
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return -1;
    }
}
