package io.hybridlake.stream;

import java.util.List;

/** Consecutive records of one topic partition, in offset order: the unit of exactly-once processing. */
public record EventBatch(String topic, int partition, List<SourceRecord> records) {
    public EventBatch {
        records = List.copyOf(records);
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i).offset() <= records.get(i - 1).offset()) {
                throw new IllegalArgumentException("records of " + topic + "-" + partition + " are not in offset order at "
                        + records.get(i).offset());
            }
        }
    }

    public long lastOffset() {
        return records.get(records.size() - 1).offset();
    }

    /** The Delta transaction app id for this source partition. */
    public String appId() {
        return appId(topic, partition);
    }

    /** The Delta transaction app id of a topic partition. */
    public static String appId(String topic, int partition) {
        return "hybridlake:" + topic + ":" + partition;
    }

    /** The source name used in window high-water marks. */
    public String source() {
        return source(topic, partition);
    }

    /** The source name of a topic partition (window high-water marks, event-time domains). */
    public static String source(String topic, int partition) {
        return topic + ":" + partition;
    }

    /** {@code topic[partition]:first-last} for each batch: the source of a commit's rows, in its lineage. */
    public static String ranges(List<EventBatch> batches) {
        StringBuilder sb = new StringBuilder();
        for (EventBatch b : batches) {
            sb.append(sb.isEmpty() ? "" : ",").append(b.topic()).append('[').append(b.partition()).append("]:")
                    .append(b.records().get(0).offset()).append('-').append(b.lastOffset());
        }
        return sb.toString();
    }
}
