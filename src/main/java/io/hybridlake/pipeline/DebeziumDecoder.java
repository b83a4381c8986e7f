package io.hybridlake.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Decodes Debezium change events: {@code {op, before, after, source: {ts_ms, lsn|pos}, ts_ms}},
 * optionally wrapped as {@code {schema, payload}} (the JSON converter with schemas enabled). The row is
 * {@code after}, or {@code before} for a delete; the change columns say what happened and in which
 * order ({@link SystemFields#CHANGE_OP}, {@link SystemFields#CHANGE_TS}, {@link SystemFields#CHANGE_SEQ}).
 */
final class DebeziumDecoder implements EventDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonEventDecoder rowDecoder;
    private final int maxEventBytes;
    private final int opIdx;
    private final int tsIdx;
    private final int seqIdx;

    DebeziumDecoder(PipelineSpec spec, JsonEventDecoder rowDecoder, int maxEventBytes) {
        this.rowDecoder = rowDecoder;
        this.maxEventBytes = maxEventBytes;
        this.opIdx = spec.fieldIndex(SystemFields.CHANGE_OP);
        this.tsIdx = spec.fieldIndex(SystemFields.CHANGE_TS);
        this.seqIdx = spec.fieldIndex(SystemFields.CHANGE_SEQ);
    }

    @Override
    public Object[] decode(byte[] value, NewFields newFields) throws JsonEventDecoder.DecodeException {
        if (value == null || value.length == 0) {
            throw new JsonEventDecoder.DecodeException(null, "empty change event (a tombstone reached the decoder)");
        }
        if (value.length > maxEventBytes) {
            throw new JsonEventDecoder.DecodeException(null, "event is " + value.length + " bytes, over the limit of "
                    + maxEventBytes);
        }
        JsonNode event;
        try {
            event = JSON.readTree(value);
        } catch (IOException e) {
            throw new JsonEventDecoder.DecodeException(null, "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (event != null && event.has("payload") && event.has("schema")) {
            event = event.get("payload");
        }
        if (event == null || !event.isObject()) {
            throw new JsonEventDecoder.DecodeException(null, "a Debezium change event must be a JSON object");
        }
        String op = event.path("op").asText("");
        if (!op.equals("c") && !op.equals("u") && !op.equals("d") && !op.equals("r")) {
            throw new JsonEventDecoder.DecodeException("op", "Debezium 'op' is '" + op + "'; expected c, u, d or r"
                    + (op.equals("t") ? " (truncate events are not applied row by row)" : ""));
        }
        JsonNode image = event.get(op.equals("d") ? "before" : "after");
        if (image == null || !image.isObject()) {
            throw new JsonEventDecoder.DecodeException(op.equals("d") ? "before" : "after", "a Debezium '" + op
                    + "' event needs the row in '" + (op.equals("d") ? "before" : "after") + "'");
        }
        Object[] row;
        try {
            row = rowDecoder.decode(JSON.writeValueAsBytes(image), newFields);
        } catch (IOException e) {
            throw new JsonEventDecoder.DecodeException(null, "cannot re-read the change row: " + e.getMessage());
        }
        JsonNode source = event.path("source");
        JsonNode ts = source.path("ts_ms").isNumber() ? source.path("ts_ms") : event.path("ts_ms");
        row[opIdx] = op;
        row[tsIdx] = ts.isNumber() ? ts.asLong() * 1000 : null;
        row[seqIdx] = sequence(source, ts);
        return row;
    }

    /** The source log position: Postgres lsn, MySQL binlog pos, else the change time in ms. */
    private static Long sequence(JsonNode source, JsonNode ts) {
        for (String field : new String[] {"lsn", "pos"}) {
            if (source.path(field).canConvertToLong()) {
                return source.path(field).asLong();
            }
        }
        return ts.isNumber() ? ts.asLong() : null;
    }
}
