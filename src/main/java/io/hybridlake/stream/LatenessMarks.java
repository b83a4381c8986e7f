package io.hybridlake.stream;

import static io.hybridlake.lake.LayerMarks.MAX_EVENT_TIME_DOMAIN;
import static io.hybridlake.lake.LayerMarks.MIN_EVENT_TIME_DOMAIN;

import io.hybridlake.lake.LakeTable;
import io.hybridlake.pipeline.EventTimePolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lateness of a poll's events against what raw already holds of their source partitions, and the
 * event-time marks raw's commit records for the next poll: each partition's newest event time and,
 * when it moves back, its oldest on-time one (the batch cut of the unified query reads both).
 */
final class LatenessMarks {
    /**
     * A source partition as raw holds it: its last completed offset, its newest and its oldest on-time
     * event time ({@link DecodedBatch#NO_TIME} if none).
     */
    private record Committed(long offset, long newestEventTime, long oldestOnTimeEventTime) {
    }

    private LatenessMarks() {
    }

    /** Classifies each batch's rows as on time or late; returns the marks raw's commit carries. */
    static Map<String, String> classify(LakeTable raw, List<DecodedBatch> decoded, EventTimePolicy timing) {
        Map<String, String> marks = new LinkedHashMap<>();
        for (DecodedBatch d : decoded) {
            EventBatch b = d.batch;
            Committed start = committed(raw, b);
            d.classifyLateness(timing, start.newestEventTime, start.offset);
            if (d.maxEventTime != DecodedBatch.NO_TIME) {
                marks.put(MAX_EVENT_TIME_DOMAIN + b.source(), Long.toString(d.maxEventTime));
            }
            long min = d.minOnTimeEventTime();
            if (min != DecodedBatch.NO_TIME && (start.oldestOnTimeEventTime == DecodedBatch.NO_TIME
                    || min < start.oldestOnTimeEventTime)) {
                marks.put(MIN_EVENT_TIME_DOMAIN + b.source(), Long.toString(min));
            }
        }
        return marks;
    }

    /**
     * Read from this process's snapshot when the batch follows on from it, else from the log (another
     * process may have moved the partition on).
     */
    private static Committed committed(LakeTable raw, EventBatch b) {
        long offset = raw.knownTransactionVersion(b.appId());
        if (offset != b.records().get(0).offset() - 1) {
            raw.forgetCachedSnapshot();
            offset = raw.lastTransactionVersion(b.appId());
        }
        return new Committed(offset, eventTime(raw, MAX_EVENT_TIME_DOMAIN + b.source()),
                eventTime(raw, MIN_EVENT_TIME_DOMAIN + b.source()));
    }

    private static long eventTime(LakeTable raw, String domain) {
        return raw.domainMetadata(domain).map(Long::parseLong).orElse(DecodedBatch.NO_TIME);
    }
}
