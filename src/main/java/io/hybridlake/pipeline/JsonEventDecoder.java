package io.hybridlake.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes one JSON object into a pipeline's typed fields with Jackson's streaming parser (no tree).
 * Strict about types so that bad data is rejected with a reason instead of stored wrong: a string is
 * never read as a number unless it parses exactly, a fraction is never truncated to an integer.
 * Unknown fields are ignored (the raw zone keeps them) or, for a pipeline that adds columns, noted
 * in a {@link NewFields}. {@link SystemFields} are left null for the caller to fill.
 */
public final class JsonEventDecoder implements EventDecoder {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build())
            .build();

    private final List<FieldSpec> fields;
    private final Map<String, Integer> index = new HashMap<>();
    private final int maxEventBytes;
    private final Set<String> reserved;

    /** Thrown for an event that cannot be decoded; carries the field concerned. */
    public static final class DecodeException extends Exception {
        private final transient Violation violation;

        public DecodeException(String field, String reason) {
            super(reason, null, false, false);
            this.violation = new Violation(field, reason);
        }

        public Violation violation() {
            return violation;
        }
    }

    public JsonEventDecoder(List<FieldSpec> fields, int maxEventBytes) {
        this(fields, maxEventBytes, Set.of());
    }

    public JsonEventDecoder(List<FieldSpec> fields, int maxEventBytes, Set<String> reserved) {
        this.fields = fields;
        this.maxEventBytes = maxEventBytes;
        this.reserved = Set.copyOf(reserved);
        for (int i = 0; i < fields.size(); i++) {
            if (!SystemFields.isSystem(fields.get(i).name())) { // the platform fills those; an event cannot spoof them
                index.put(fields.get(i).name(), i);
            }
        }
    }

    @Override
    public Object[] decode(byte[] json, NewFields newFields) throws DecodeException {
        if (json == null || json.length == 0) {
            throw new DecodeException(null, "empty event (no payload)");
        }
        if (json.length > maxEventBytes) {
            throw new DecodeException(null, "event is " + json.length + " bytes, over the limit of " + maxEventBytes);
        }
        if (json.length >= 2 && (json[0] == 0 || json[1] == 0 || (json[0] & 0xff) == 0xfe || (json[0] & 0xff) == 0xff)) {
            // Jackson would detect and decode UTF-16/32; RFC 8259 requires UTF-8 between systems
            throw new DecodeException(null, "event is not UTF-8 text (it looks like UTF-16 or UTF-32); send UTF-8 JSON");
        }
        Object[] row = new Object[fields.size()];
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DecodeException(null, "event is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                Integer i = index.get(name);
                JsonToken t = p.nextToken();
                if (i == null) {
                    if (newFields != null && !reserved.contains(name) && !SystemFields.isSystem(name)
                            && NewFields.isCandidateName(name)) {
                        newFields.saw(name, t);
                    }
                    p.skipChildren();
                } else {
                    row[i] = value(p, t, fields.get(i));
                }
            }
            if (p.nextToken() != null) {
                throw new DecodeException(null, "unexpected content after the JSON object");
            }
        } catch (IOException e) {
            throw new DecodeException(null, "malformed JSON: " + firstLine(e.getMessage()));
        }
        return row;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Object value(JsonParser p, JsonToken t, FieldSpec f) throws IOException, DecodeException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            throw wrongType(f, "a nested " + (t == JsonToken.START_OBJECT ? "object" : "array"));
        }
        return switch (f.type()) {
            case STRING -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw wrongType(f, p.getText());
                }
                yield p.getText();
            }
            case LONG -> integral(p, t, f);
            case INT -> {
                long v = integral(p, t, f);
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw wrongType(f, p.getText() + " (out of int range)");
                }
                yield (int) v;
            }
            case DOUBLE -> {
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    double d = p.getDoubleValue();
                    if (Double.isFinite(d)) {
                        yield d;
                    }
                    throw wrongType(f, p.getText() + " (out of range)");
                }
                if (t == JsonToken.VALUE_STRING) {
                    try {
                        double d = Double.parseDouble(p.getText().strip());
                        if (Double.isFinite(d)) {
                            yield d;
                        }
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                }
                throw wrongType(f, p.getText());
            }
            case BOOLEAN -> {
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    yield t == JsonToken.VALUE_TRUE;
                }
                if (t == JsonToken.VALUE_STRING && (p.getText().equals("true") || p.getText().equals("false"))) {
                    yield Boolean.parseBoolean(p.getText());
                }
                throw wrongType(f, p.getText());
            }
            case TIMESTAMP -> timestamp(p, t, f);
            case DATE -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw wrongType(f, p.getText());
                }
                try {
                    yield (int) LocalDate.parse(p.getText()).toEpochDay();
                } catch (DateTimeParseException e) {
                    throw wrongType(f, "'" + p.getText() + "'");
                }
            }
            case BINARY -> throw wrongType(f, p.getText());
        };
    }

    private static long integral(JsonParser p, JsonToken t, FieldSpec f) throws IOException, DecodeException {
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw wrongType(f, p.getText() + " (out of range)");
                }
                return p.getLongValue();
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_STRING) {
                return new BigDecimal(p.getText().strip()).longValueExact();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw wrongType(f, p.getText());
    }

    private static long timestamp(JsonParser p, JsonToken t, FieldSpec f) throws IOException, DecodeException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return Math.multiplyExact(p.getLongValue(), 1000L); // epoch milliseconds
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            try {
                return Timestamps.parseMicros(s);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw wrongType(f, "'" + s + "'");
            }
        }
        throw wrongType(f, p.getText());
    }

    private static DecodeException wrongType(FieldSpec f, String found) {
        String expected = switch (f.type()) {
            case TIMESTAMP -> "an ISO-8601 timestamp or epoch milliseconds";
            case DATE -> "a date (yyyy-mm-dd)";
            default -> "a " + f.type().name().toLowerCase();
        };
        return new DecodeException(f.name(), "field '" + f.name() + "' should be " + expected + " but is " + found);
    }

}
