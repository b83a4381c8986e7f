package io.hybridlake.pipeline;

import io.hybridlake.lake.ColumnType;
import java.util.List;

/**
 * Columns the platform fills, never the event's JSON: broker metadata as Event Hubs and IoT Hub
 * present it, and, for CDC pipelines, the change's operation and order. They follow the pipeline's
 * own fields, start with '_' (which user field names cannot), and rules may use them like any field.
 */
public final class SystemFields {
    /** Event Hubs partition key (header {@code x-opt-partition-key}, else the Kafka record key). */
    public static final String PARTITION_KEY = "_partition_key";
    /** When the broker accepted the event (header {@code x-opt-enqueued-time}, else the record timestamp). */
    public static final String ENQUEUED_TIME = "_enqueued_time";
    /** Event Hubs sequence number (header {@code x-opt-sequence-number}, else the Kafka offset). */
    public static final String SEQUENCE_NUMBER = "_sequence_number";
    /** IoT Hub device id (header {@code iothub-connection-device-id}), or null. */
    public static final String DEVICE_ID = "_device_id";
    /** CDC: c (insert), u (update), d (delete) or r (snapshot read). */
    public static final String CHANGE_OP = "_change_op";
    /** CDC: when the change happened in the source database ({@code source.ts_ms}). */
    public static final String CHANGE_TS = "_change_ts";
    /** CDC: the source's log position (lsn, else binlog pos, else ts_ms), ordering changes of one key. */
    public static final String CHANGE_SEQ = "_change_seq";

    static final List<FieldSpec> SOURCE = List.of(
            new FieldSpec(PARTITION_KEY, ColumnType.STRING, true),
            new FieldSpec(ENQUEUED_TIME, ColumnType.TIMESTAMP, true),
            new FieldSpec(SEQUENCE_NUMBER, ColumnType.LONG, true),
            new FieldSpec(DEVICE_ID, ColumnType.STRING, true));

    static final List<FieldSpec> CHANGE = List.of(
            new FieldSpec(CHANGE_OP, ColumnType.STRING, false),
            new FieldSpec(CHANGE_TS, ColumnType.TIMESTAMP, true),
            new FieldSpec(CHANGE_SEQ, ColumnType.LONG, true));

    private SystemFields() {
    }

    public static boolean isSystem(String name) {
        return name.startsWith("_");
    }
}
