package io.hybridlake.pipeline;

/** Turns one event's bytes into a pipeline's field values (system fields left null). */
public interface EventDecoder {
    Object[] decode(byte[] value) throws JsonEventDecoder.DecodeException;

    /** The decoder a pipeline's source format needs. */
    static EventDecoder of(PipelineSpec spec, int maxEventBytes) {
        JsonEventDecoder json = new JsonEventDecoder(spec.fields(), maxEventBytes);
        return spec.isCdc() ? new DebeziumDecoder(spec, json, maxEventBytes) : json;
    }
}
