package io.hybridlake.stream;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.LayerMarks;
import io.hybridlake.lake.RowRemoval;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.MergePolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kappa reprocessing: a pipeline's stream-path output is recomputed from a broker offset on, with the
 * pipeline as it is now (after fixing a derived column, a filter, a validation rule). For each
 * partition: the rows from that offset on leave raw/stream, refined/stream, _late and the topic's
 * _rejected rows, with the partition's transaction marks set back to the offset before, raw first;
 * then the records are read again from the broker up to where the stream had got and processed as
 * usual; then the windows are rebuilt from refined. Crash-safe at every step: raw is the completion
 * record, so a crash after its rewind makes the consumer reprocess from the offset, and each table
 * takes only the records above its own mark. refined/merged keeps the rows it merged: the next merge
 * takes the reprocessed ones (latest event wins); rows the pipeline no longer produces stay there.
 */
public final class Replay {
    /** Records of one topic partition from the broker. */
    public interface RecordSource {
        /** Records from {@code fromOffset} up to {@code toOffset} (inclusive), at most {@code max}, in offset order. */
        List<SourceRecord> read(String topic, int partition, long fromOffset, long toOffset, int max);
    }

    /** One partition: the offsets reprocessed (none when {@code from > to}) and how many records were read. */
    public record PartitionReplay(int partition, long from, long to, long records) {
    }

    public record Result(String table, String topic, List<PartitionReplay> partitions, long refined, long rejected,
            long late, SpeedLayerRebuild.Result speedLayer) {
    }

    private static final int RECORDS_PER_BATCH = 20_000;

    private final Lake lake;
    private final StreamPath stream;
    /** How rewound rows leave their tables: marked in deletion vectors, or their files rewritten (the pipeline's merge mode). */
    private final MergePolicy.Mode rowsReplaced;

    Replay(Lake lake, StreamPath stream, MergePolicy.Mode rowsReplaced) {
        this.lake = lake;
        this.stream = stream;
        this.rowsReplaced = rowsReplaced;
    }

    /** Runs with the stream path paused ({@link StreamPath#replay}). */
    Result run(String table, String topic, Map<Integer, Long> fromOffsets, RecordSource source) {
        LakeTable raw = lake.table(TablePath.rawStream(table));
        Map<Integer, Long> reachedBefore = new HashMap<>();
        for (Map.Entry<Integer, Long> e : fromOffsets.entrySet()) {
            if (e.getValue() < 0) {
                throw new HybridlakeException.BadRequest(table, "offset " + e.getValue() + " of " + topic + "["
                        + e.getKey() + "] is negative");
            }
            long reached = raw.lastTransactionVersion(EventBatch.appId(topic, e.getKey()));
            if (reached >= e.getValue()) {
                reachedBefore.put(e.getKey(), reached);
            }
        }
        Map<String, String> eventTimes = new HashMap<>(); // the lateness reference as of each offset
        Set<String> noEventTimes = new HashSet<>();
        for (int partition : reachedBefore.keySet()) {
            String domain = LayerMarks.MAX_EVENT_TIME_DOMAIN + EventBatch.source(topic, partition);
            String before = maxEventTimeBefore(raw, EventBatch.appId(topic, partition), domain, fromOffsets.get(partition));
            if (before != null) {
                eventTimes.put(domain, before);
            } else {
                noEventTimes.add(domain);
            }
        }
        CommitLineage.during(Map.of(CommitLineage.JOB, "replay-rewind", CommitLineage.PIPELINE, table), () -> {
            rewind(raw, "topic", "partition", "offset", topic, reachedBefore, fromOffsets, eventTimes, noEventTimes);
            rewind(lake.table(TablePath.refinedStream(table)), "_source_topic", "_source_partition", "_source_offset",
                    topic, reachedBefore, fromOffsets, eventTimes, noEventTimes);
            rewind(lake.table(TablePath.late(table)), "_source_topic", "_source_partition", "_source_offset", topic,
                    reachedBefore, fromOffsets, Map.of(), Set.of());
            rewind(lake.table(TablePath.rejected(table)), "topic", "partition", "offset", topic, reachedBefore,
                    fromOffsets, Map.of(), Set.of());
        });
        List<PartitionReplay> partitions = new ArrayList<>();
        long refined = 0, rejected = 0, late = 0;
        for (Map.Entry<Integer, Long> e : fromOffsets.entrySet()) {
            Long to = reachedBefore.get(e.getKey());
            long count = 0;
            for (long next = e.getValue(); to != null && next <= to; ) {
                List<SourceRecord> records = source.read(topic, e.getKey(), next, to, RECORDS_PER_BATCH);
                if (records.isEmpty()) {
                    throw new HybridlakeException(table, "the broker returned no records of " + topic + "[" + e.getKey()
                            + "] from offset " + next + " (up to " + to + "); the replay stopped there and the "
                            + "stream consumer will continue from that offset");
                }
                BatchOutcome o = stream.processPaused(List.of(new EventBatch(topic, e.getKey(), records))).get(0);
                refined += o.refined();
                rejected += o.rejected();
                late += o.late();
                count += records.size();
                next = records.get(records.size() - 1).offset() + 1;
            }
            partitions.add(new PartitionReplay(e.getKey(), e.getValue(), to == null ? e.getValue() - 1 : to, count));
        }
        return new Result(table, topic, partitions, refined, rejected, late, stream.rebuildPaused(table));
    }

    /**
     * Removes the table's rows of each partition from its offset on and sets the partition's mark to
     * the offset before; {@code eventTimes} (raw and refined) puts back each partition's newest event
     * time as of then: the lateness reference of the records reprocessed.
     */
    private void rewind(LakeTable t, String topicColumn, String partitionColumn, String offsetColumn,
            String topic, Map<Integer, Long> partitions, Map<Integer, Long> fromOffsets, Map<String, String> eventTimes,
            Set<String> noEventTimes) {
        long version = t.latestVersion();
        if (version < 0 || partitions.isEmpty()) {
            return;
        }
        Map<String, Long> marks = new HashMap<>();
        for (int partition : partitions.keySet()) {
            marks.put(EventBatch.appId(topic, partition), fromOffsets.get(partition) - 1);
        }
        Set<String> removed = new HashSet<>();
        noEventTimes.stream().filter(d -> t.domainMetadata(d).isPresent()).forEach(removed::add);
        RowRemoval removal = new RowRemoval(t);
        if (rowsReplaced == MergePolicy.Mode.MERGE_ON_READ) { // only the three columns read, no file rewritten
            removal.markRowsDeleted(version, List.of(topicColumn, partitionColumn, offsetColumn),
                    row -> topic.equals(row[0]) && partitions.containsKey((Integer) row[1])
                            && (Long) row[2] >= fromOffsets.get((Integer) row[1]), marks, eventTimes, removed);
            return;
        }
        TableSchema schema = t.schemaAt(version);
        int topicAt = schema.indexOf(topicColumn);
        int partitionAt = schema.indexOf(partitionColumn);
        int offsetAt = schema.indexOf(offsetColumn);
        removal.removeRows(version, row -> topic.equals(row[topicAt]) && partitions.containsKey((Integer) row[partitionAt])
                && (Long) row[offsetAt] >= fromOffsets.get((Integer) row[partitionAt]), marks, eventTimes, removed);
    }

    /**
     * The partition's newest event time as recorded by the last raw commit that completed only offsets
     * before {@code from} (binary search over versions; marks only grow between rewinds), or null.
     */
    private static String maxEventTimeBefore(LakeTable raw, String appId, String domain, long from) {
        long lo = 0, hi = raw.latestVersion(), found = -1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            if (raw.transactionVersionAt(mid, appId) < from) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? null : raw.domainsAt(found, domain).get(domain);
    }
}
