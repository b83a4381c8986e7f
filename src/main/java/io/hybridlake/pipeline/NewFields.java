package io.hybridlake.pipeline;

import com.fasterxml.jackson.core.JsonToken;
import io.hybridlake.lake.ColumnType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Top-level fields events carry that their pipeline does not declare, with the column type their
 * values suggest: a JSON string is a string (never guessed as a date), an integer a long, a fraction
 * a double (a field seen both ways is a double), true/false a boolean. Nulls, nested objects and
 * arrays suggest nothing; names that are not lower-case identifiers (as pipeline fields are), or
 * that a zone table already uses, are not candidates. Such values are never lost: raw keeps every event as received.
 */
public final class NewFields {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,127}");

    private final Map<String, ColumnType> types = new LinkedHashMap<>();

    static boolean isCandidateName(String name) {
        return IDENTIFIER.matcher(name).matches();
    }

    void saw(String name, JsonToken value) {
        ColumnType type = switch (value) {
            case VALUE_STRING -> ColumnType.STRING;
            case VALUE_NUMBER_INT -> ColumnType.LONG;
            case VALUE_NUMBER_FLOAT -> ColumnType.DOUBLE;
            case VALUE_TRUE, VALUE_FALSE -> ColumnType.BOOLEAN;
            default -> null;
        };
        if (type != null) {
            types.merge(name, type, NewFields::widen);
        }
    }

    private static ColumnType widen(ColumnType a, ColumnType b) {
        boolean numbers = (a == ColumnType.LONG || a == ColumnType.DOUBLE) && (b == ColumnType.LONG || b == ColumnType.DOUBLE);
        return numbers && a != b ? ColumnType.DOUBLE : a; // otherwise the first type seen; later misfits are rejected
    }

    public void addAll(NewFields other) {
        other.types.forEach((name, type) -> types.merge(name, type, NewFields::widen));
    }

    public void clear() {
        types.clear();
    }

    public boolean isEmpty() {
        return types.isEmpty();
    }

    /** Name → suggested type, in the order first seen. */
    public Map<String, ColumnType> types() {
        return new LinkedHashMap<>(types);
    }
}
