package io.hybridlake.stream;

import io.hybridlake.pipeline.EventTimePolicy;
import io.hybridlake.pipeline.JsonEventDecoder;
import io.hybridlake.pipeline.NewFields;
import io.hybridlake.pipeline.Violation;
import java.util.Arrays;
import java.util.List;

/**
 * A batch after decode, validation and rules, then event-time and duplicate classification: for each
 * record its refined row, or "filtered", "late" (with its row), a tombstone, or the violation that
 * rejected it (duplicates included). Every classification is a function of the record and of state
 * committed before the batch (the partition's event-time high-water mark in raw, the dedup claims),
 * which is what makes per-table replay filtering by offset exact.
 */
final class DecodedBatch {
    static final long NO_TIME = Long.MIN_VALUE;

    final EventBatch batch;
    final Object[][] rows;          // refined row, or null
    final Violation[] violations;   // rejection reason, or null
    final long[] eventTimes;        // event time of every decoded record, NO_TIME otherwise
    final Object[][] lateRows;      // row of a late record, or null
    final long[] lateBy;            // micros behind the watermark, for late records
    final long[] lateWatermark;
    int refined;
    int filtered;
    int rejected;
    int late;
    int duplicates;
    int tombstones;
    /** Undeclared fields of valid events, for a pipeline that adds columns (else empty). */
    final NewFields newFields = new NewFields();
    /** The partition's newest event time including this batch (after {@link #classifyLateness}). */
    long maxEventTime = NO_TIME;

    private DecodedBatch(EventBatch batch) {
        int n = batch.records().size();
        this.batch = batch;
        this.rows = new Object[n][];
        this.violations = new Violation[n];
        this.eventTimes = new long[n];
        Arrays.fill(eventTimes, NO_TIME);
        this.lateRows = new Object[n][];
        this.lateBy = new long[n];
        this.lateWatermark = new long[n];
    }

    /** Rows already refined (read back from the lake), one per record of {@code batch}, for the window updater. */
    static DecodedBatch ofRefined(EventBatch batch, List<Object[]> rows) {
        DecodedBatch d = new DecodedBatch(batch);
        for (int i = 0; i < rows.size(); i++) {
            d.rows[i] = rows.get(i);
        }
        d.refined = rows.size();
        return d;
    }

    static DecodedBatch decode(EventBatch batch, CompiledPipeline p) {
        DecodedBatch d = new DecodedBatch(batch);
        NewFields eventFields = p.discoversFields() ? new NewFields() : null;
        for (int i = 0; i < batch.records().size(); i++) {
            SourceRecord r = batch.records().get(i);
            if (r.value() == null && p.spec.isCdc()) {
                d.tombstones++; // Kafka's compaction marker after a delete: the delete itself carries the change
                continue;
            }
            try {
                if (eventFields != null) {
                    eventFields.clear();
                }
                Object[] fields = p.decoder.decode(r.value(), eventFields);
                fillMetadata(fields, r, p.metadata);
                Violation v = p.rules.validate(fields);
                if (v != null) {
                    d.reject(i, v);
                    continue;
                }
                if (eventFields != null && !eventFields.isEmpty()) {
                    d.newFields.addAll(eventFields); // only valid events propose columns
                }
                Object[] row = p.rules.derive(fields);
                Object time = row[p.eventTime];
                d.eventTimes[i] = time == null ? NO_TIME : (Long) time;
                if (p.rules.passesFilters(row)) {
                    d.rows[i] = row;
                    d.refined++;
                } else {
                    d.filtered++;
                }
            } catch (JsonEventDecoder.DecodeException e) {
                d.reject(i, e.violation());
            } catch (RuntimeException e) {
                // a rule that fails at run time (e.g. arithmetic on extreme values) rejects the event, never the batch
                d.reject(i, new Violation(null, "rule evaluation failed: " + e));
            }
        }
        return d;
    }

    /** The decoded parts of one batch (consecutive sub-batches, in order) as one decoded batch. */
    static DecodedBatch concat(EventBatch batch, List<DecodedBatch> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        DecodedBatch d = new DecodedBatch(batch);
        int at = 0;
        for (DecodedBatch part : parts) {
            int n = part.rows.length;
            System.arraycopy(part.rows, 0, d.rows, at, n);
            System.arraycopy(part.violations, 0, d.violations, at, n);
            System.arraycopy(part.eventTimes, 0, d.eventTimes, at, n);
            d.refined += part.refined;
            d.filtered += part.filtered;
            d.rejected += part.rejected;
            d.tombstones += part.tombstones;
            d.newFields.addAll(part.newFields);
            at += n;
        }
        return d;
    }

    private static void fillMetadata(Object[] fields, SourceRecord r, int[] at) {
        SourceMetadata m = SourceMetadata.of(r);
        fields[at[0]] = m.partitionKey();
        fields[at[1]] = m.enqueuedMicros();
        fields[at[2]] = m.sequenceNumber();
        fields[at[3]] = m.deviceId();
    }

    /**
     * Walks the records after {@code committedOffset} in offset order with the partition's newest event
     * time so far ({@code maxBefore}, from raw's last commit): a refined row older than the watermark
     * minus the allowed lateness becomes late. Leaves {@link #maxEventTime} for the next batch.
     */
    void classifyLateness(EventTimePolicy policy, long maxBefore, long committedOffset) {
        long max = maxBefore;
        List<SourceRecord> records = batch.records();
        for (int i = 0; i < records.size(); i++) {
            long t = eventTimes[i];
            if (t == NO_TIME || records.get(i).offset() <= committedOffset) {
                continue;
            }
            long watermark = policy.watermark(max);
            long by = policy.lateBy(t, watermark);
            if (by > 0 && rows[i] != null) {
                lateRows[i] = rows[i];
                lateBy[i] = watermark - t; // how far behind the watermark
                lateWatermark[i] = watermark;
                rows[i] = null;
                refined--;
                late++;
            }
            max = Math.max(max, t);
        }
        maxEventTime = max;
    }

    /** The oldest event time among the on-time rows (filtered ones included), or {@link #NO_TIME}. */
    long minOnTimeEventTime() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < eventTimes.length; i++) {
            if (eventTimes[i] != NO_TIME && lateRows[i] == null && violations[i] == null) {
                min = Math.min(min, eventTimes[i]);
            }
        }
        return min == Long.MAX_VALUE ? NO_TIME : min;
    }

    /** Turns a refined (or late) row into a rejected duplicate. */
    void rejectDuplicate(int i, Violation v) {
        if (rows[i] != null) {
            rows[i] = null;
            refined--;
        } else {
            lateRows[i] = null;
            late--;
        }
        duplicates++;
        reject(i, v);
    }

    /** Every record rejected with one reason (e.g. no pipeline for the topic). */
    static DecodedBatch rejectAll(EventBatch batch, String reason) {
        DecodedBatch d = new DecodedBatch(batch);
        for (int i = 0; i < batch.records().size(); i++) {
            d.reject(i, new Violation(null, reason));
        }
        return d;
    }

    private void reject(int i, Violation v) {
        violations[i] = v;
        rejected++;
    }
}
