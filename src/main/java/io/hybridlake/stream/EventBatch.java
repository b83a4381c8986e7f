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
        return "hybridlake:" + topic + ":" + partition;
    }

    /** The source name used in window high-water marks. */
    public String source() {
        return topic + ":" + partition;
    }
}
