package io.hybridlake.pipeline;

import java.util.Set;

/** Turns one event's bytes into a pipeline's field values (system fields left null). */
public interface EventDecoder {
    /**
     * Decodes one event; when {@code newFields} is given, undeclared top-level fields are noted in it
     * (see {@link NewFields}) for a pipeline that adds columns.
     */
    Object[] decode(byte[] value, NewFields newFields) throws JsonEventDecoder.DecodeException;

    default Object[] decode(byte[] value) throws JsonEventDecoder.DecodeException {
        return decode(value, null);
    }

    /**
     * The decoder a pipeline's source format needs; {@code reserved} are names an undeclared field may
     * not take as a new column (the zone tables' own columns).
     */
    static EventDecoder of(PipelineSpec spec, int maxEventBytes, Set<String> reserved) {
        JsonEventDecoder json = new JsonEventDecoder(spec.fields(), maxEventBytes, reserved);
        return spec.isCdc() ? new DebeziumDecoder(spec, json, maxEventBytes) : json;
    }
}
