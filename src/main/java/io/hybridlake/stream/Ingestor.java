package io.hybridlake.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes events to a pipeline's topic, keyed by the pipeline's key column so that all versions
 * of a key land in one partition (in order). Validation is the stream path's job, so events from
 * any producer get the same treatment; an event whose key cannot be read is published unkeyed and
 * rejected downstream with the reason. Nothing is dropped here.
 */
public final class Ingestor {
    private static final JsonFactory JSON = new JsonFactory();

    private final PipelineCatalog catalog;
    private final EventSink sink;

    public Ingestor(PipelineCatalog catalog, EventSink sink) {
        this.catalog = catalog;
        this.sink = sink;
    }

    public record Receipt(String table, String topic, int published) {
    }

    public Receipt ingest(String table, List<byte[]> events) {
        PipelineSpec spec = catalog.table(table);
        if (events.isEmpty()) {
            throw new HybridlakeException.BadRequest(table, "no events in the request for table " + table);
        }
        String topic = catalog.topicOf(spec);
        List<EventSink.Event> out = new ArrayList<>(events.size());
        for (byte[] e : events) {
            out.add(new EventSink.Event(topic, keyOf(e, spec.key()), e));
        }
        sink.publish(out);
        return new Receipt(table, topic, out.size());
    }

    /** The key field's value as UTF-8 bytes, or null when the event has none or is not a JSON object. */
    static byte[] keyOf(byte[] event, String keyField) {
        try (JsonParser p = JSON.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals(keyField) && t != null && t.isScalarValue() && t != JsonToken.VALUE_NULL) {
                    return p.getText().getBytes(StandardCharsets.UTF_8);
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
