package io.hybridlake.stream;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each source partition stands in the lake: the offsets its completed batches reached (the
 * transaction marks of its pipeline's raw/stream table) and the shift that maps a broker's offsets
 * onto the lake's sequence after an operator reset a partition whose source went backwards.
 */
final class SourceOffsets {
    /**
     * Domain-metadata name prefix (on raw/stream) of a source partition's offset shift: lake offset =
     * broker offset + shift. Zero until an operator resets a partition whose source went backwards; then
     * the broker's new offsets continue after the lake's, so marks, window high-water marks and
     * de-duplication tokens stay in one increasing sequence per partition.
     */
    static final String SHIFT_DOMAIN = "hybridlake.offsetShift.";

    static long shift(LakeTable raw, String source) {
        return raw.domainMetadata(SHIFT_DOMAIN + source).map(Long::parseLong).orElse(0L);
    }

    private final Lake lake;
    private final PipelineCatalog catalog;

    SourceOffsets(Lake lake, PipelineCatalog catalog) {
        this.lake = lake;
        this.catalog = catalog;
    }

    /** One past the last offset of the partition whose batch completed, as a broker offset; -1 if none. */
    long next(String topic, int partition) {
        String appId = EventBatch.appId(topic, partition);
        LakeTable table = completionTable(topic);
        long version = table.latestVersion();
        if (version < 0) {
            return -1;
        }
        long last = table.transactionVersionAt(version, appId);
        String shift = SHIFT_DOMAIN + EventBatch.source(topic, partition);
        return last < 0 ? -1 : last + 1 - Long.parseLong(table.domainsAt(version, shift).getOrDefault(shift, "0"));
    }

    /** Records a new offset shift for the partition (StreamPath.resetOffsets, with the stream paused). */
    OffsetReset reset(String table, int partition, long brokerOffset, String reason) {
        PipelineSpec spec = catalog.table(table);
        String topic = catalog.topicOf(spec);
        LakeTable raw = lake.table(TablePath.rawStream(spec.table()));
        raw.forgetCachedSnapshot();
        long version = raw.latestVersion();
        long last = raw.lastTransactionVersion(EventBatch.appId(topic, partition));
        if (version < 0 || last < 0) {
            throw new HybridlakeException.BadRequest(table, "pipeline " + table + " has processed "
                    + "nothing from " + topic + "[" + partition + "]: there is no position to reset; the consumer "
                    + "starts at hybridlake.stream.start");
        }
        long shift = last + 1 - brokerOffset;
        String source = EventBatch.source(topic, partition);
        Map<String, String> lineage = Map.of(CommitLineage.JOB, "offsets-reset", CommitLineage.PIPELINE, table,
                CommitLineage.SOURCE, topic + "[" + partition + "]: broker offset " + brokerOffset + " = lake offset "
                        + (last + 1) + (reason == null || reason.isBlank() ? "" : " (" + reason + ")"));
        long committed = CommitLineage.during(lineage, () -> raw.setDomains(version, Map.of(SHIFT_DOMAIN
                + source, Long.toString(shift))));
        return new OffsetReset(table, topic, partition, last + 1, brokerOffset, shift, committed);
    }

    /** Where a topic's completed offsets (and offset shifts) are recorded: its pipeline's raw/stream table. */
    private LakeTable completionTable(String topic) {
        return lake.table(catalog.forTopic(topic).map(s -> TablePath.rawStream(s.table())).orElse(StreamPath.UNROUTED));
    }

    /** The batch with its offsets in the lake's sequence (see {@link #SHIFT_DOMAIN}). */
    EventBatch inLakeOffsets(EventBatch b) {
        if (b.records().isEmpty()) {
            return b;
        }
        long shift = shift(completionTable(b.topic()), b.source());
        if (shift == 0) {
            return b;
        }
        List<SourceRecord> shifted = new ArrayList<>(b.records().size());
        for (SourceRecord r : b.records()) {
            shifted.add(new SourceRecord(r.offset() + shift, r.timestampMillis(), r.key(), r.value(), r.headers()));
        }
        return new EventBatch(b.topic(), b.partition(), shifted);
    }
}
