package io.hybridlake.batch;

import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.SystemFields;
import io.hybridlake.pipeline.ZoneSchemas;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Which of two versions of a key is the latest: event time, then (CDC) the source log sequence, then
 * stream over batch (the fresher layer), then the source position — a total order, so every run and
 * every replay picks the same winner. Rows are in the merged table's layout: the refined columns, then
 * {@code source_system} and {@code _deleted}.
 */
final class MergeOrder implements Comparator<Object[]> {
    private final RowRules rules;
    private final int key;
    private final int eventTime;
    private final int changeSeq;
    private final int changeOp;
    private final int lineage;
    private final int sourceSystem;

    MergeOrder(PipelineSpec spec, RowRules rules) {
        this.rules = rules;
        this.key = rules.columnIndex(spec.key());
        this.eventTime = rules.columnIndex(spec.eventTime());
        this.changeSeq = spec.isCdc() ? rules.columnIndex(SystemFields.CHANGE_SEQ) : -1;
        this.changeOp = spec.isCdc() ? rules.columnIndex(SystemFields.CHANGE_OP) : -1;
        int refined = ZoneSchemas.refined(rules).size();
        this.lineage = refined - ZoneSchemas.REFINED_LINEAGE.size();
        this.sourceSystem = refined;
    }

    RowRules rules() {
        return rules;
    }

    /** A refined row of layer {@code system} (stream or batch) in the merged layout. */
    Object[] asMerged(Object[] refined, String system) {
        Object[] row = Arrays.copyOf(refined, sourceSystem + 2);
        row[sourceSystem] = system;
        row[sourceSystem + 1] = changeOp >= 0 && "d".equals(refined[changeOp]);
        return row;
    }

    String key(Object[] row) {
        return String.valueOf(row[key]);
    }

    /** The row's event time for the key index ({@link KeyIndex#NO_TIME} if it has none). */
    long eventTime(Object[] row) {
        return KeyIndex.time(row[eventTime]);
    }

    /** Positive when {@code change} is later than a row whose event time is {@code existingTime}; 0: look closer. */
    int compareTime(Object[] change, long existingTime) {
        return Long.compare(eventTime(change), existingTime);
    }

    boolean isDelete(Object[] row) {
        return Boolean.TRUE.equals(row[sourceSystem + 1]);
    }

    /** Positive when {@code a} is later than {@code b}. */
    @Override
    public int compare(Object[] a, Object[] b) {
        int c = compareLongs(a[eventTime], b[eventTime]);
        if (c == 0 && changeSeq >= 0) {
            c = compareLongs(a[changeSeq], b[changeSeq]);
        }
        if (c == 0) {
            c = Boolean.compare("stream".equals(a[sourceSystem]), "stream".equals(b[sourceSystem]));
        }
        if (c == 0) {
            c = ((String) a[lineage]).compareTo((String) b[lineage]);
        }
        if (c == 0) {
            c = Integer.compare((Integer) a[lineage + 1], (Integer) b[lineage + 1]);
        }
        return c != 0 ? c : Long.compare((Long) a[lineage + 2], (Long) b[lineage + 2]);
    }

    /** Null (a delete without an event time) sorts first. */
    private static int compareLongs(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return Long.compare((Long) a, (Long) b);
    }
}
