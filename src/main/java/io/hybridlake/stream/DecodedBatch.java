package io.hybridlake.stream;

import io.hybridlake.pipeline.JsonEventDecoder;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.Violation;

/**
 * A batch after decode, validation and rules: for each record either its refined row (derived
 * columns included), "filtered", or the violation that rejected it. Deterministic for a given record,
 * which is what makes per-table replay filtering by offset exact.
 */
final class DecodedBatch {
    final EventBatch batch;
    final Object[][] rows;          // refined row, or null
    final Violation[] violations;   // rejection reason, or null
    int refined;
    int filtered;
    int rejected;

    private DecodedBatch(EventBatch batch) {
        this.batch = batch;
        this.rows = new Object[batch.records().size()][];
        this.violations = new Violation[batch.records().size()];
    }

    static DecodedBatch decode(EventBatch batch, RowRules rules, JsonEventDecoder decoder) {
        DecodedBatch d = new DecodedBatch(batch);
        for (int i = 0; i < batch.records().size(); i++) {
            SourceRecord r = batch.records().get(i);
            try {
                Object[] fields = decoder.decode(r.value());
                Violation v = rules.validate(fields);
                if (v != null) {
                    d.reject(i, v);
                    continue;
                }
                Object[] row = rules.derive(fields);
                if (rules.passesFilters(row)) {
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
