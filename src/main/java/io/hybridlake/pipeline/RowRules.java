package io.hybridlake.pipeline;

import io.hybridlake.lake.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A pipeline's business rules compiled once and applied to decoded rows: validation, derived
 * columns, filters. The stream and the batch path both call this, so they apply one set of rules
 * (the seed's {@code apply_business_rules}).
 */
public final class RowRules {
    private final PipelineSpec spec;
    private final int[] requiredIdx;
    private final String[] requiredNames;
    private final int[] allowedIdx;
    private final Set<?>[] allowedValues;
    private final String[] allowedNames;
    private final int[] rangeIdx;
    private final ValidationRules.Range[] ranges;
    private final String[] rangeNames;
    private final int keyIdx;
    private final int changeOpIdx;

    public RowRules(PipelineSpec spec) {
        this.spec = spec;
        List<String> required = new ArrayList<>();
        keyIdx = spec.fieldIndex(spec.key());
        changeOpIdx = spec.fieldIndex(SystemFields.CHANGE_OP);
        for (FieldSpec f : spec.fields()) {
            if (!f.nullable() || spec.rules().required().contains(f.name()) || f.name().equals(spec.eventTime())
                    || f.name().equals(spec.key())) {
                required.add(f.name());
            }
        }
        requiredNames = required.toArray(String[]::new);
        requiredIdx = required.stream().mapToInt(spec::fieldIndex).toArray();
        var allowed = spec.rules().allowed();
        allowedNames = allowed.keySet().toArray(String[]::new);
        allowedIdx = new int[allowedNames.length];
        allowedValues = new Set<?>[allowedNames.length];
        for (int i = 0; i < allowedNames.length; i++) {
            allowedIdx[i] = columnIndex(allowedNames[i]);
            allowedValues[i] = allowed.get(allowedNames[i]);
        }
        var r = spec.rules().ranges();
        rangeNames = r.keySet().toArray(String[]::new);
        rangeIdx = new int[rangeNames.length];
        ranges = new ValidationRules.Range[rangeNames.length];
        for (int i = 0; i < rangeNames.length; i++) {
            rangeIdx[i] = columnIndex(rangeNames[i]);
            ranges[i] = r.get(rangeNames[i]);
        }
    }

    public PipelineSpec spec() {
        return spec;
    }

    /** Position of a field or derived column in a derived row. */
    public int columnIndex(String name) {
        int i = spec.fieldIndex(name);
        if (i >= 0) {
            return i;
        }
        for (int d = 0; d < spec.derived().size(); d++) {
            if (spec.derived().get(d).name().equals(name)) {
                return spec.fields().size() + d;
            }
        }
        throw new IllegalArgumentException("no column '" + name + "' in pipeline " + spec.table());
    }

    public ColumnType columnType(int index) {
        int n = spec.fields().size();
        return index < n ? spec.fields().get(index).type() : spec.derived().get(index - n).expr().type();
    }

    /**
     * The first rule the decoded fields break, or null if they are valid. A CDC delete carries the
     * row's key and little else (Debezium's {@code before} holds only the key unless the table logs
     * full rows), so it needs its key only.
     */
    public Violation validate(Object[] fields) {
        if (changeOpIdx >= 0 && "d".equals(fields[changeOpIdx])) {
            return fields[keyIdx] == null ? new Violation(spec.key(), "key '" + spec.key() + "' of a delete is missing")
                    : null;
        }
        for (int i = 0; i < requiredIdx.length; i++) {
            if (fields[requiredIdx[i]] == null) {
                return new Violation(requiredNames[i], "required field '" + requiredNames[i] + "' is missing or null");
            }
        }
        for (int i = 0; i < allowedIdx.length; i++) {
            Object v = fields[allowedIdx[i]];
            if (v != null && !allowedValues[i].contains(String.valueOf(v))) {
                return new Violation(allowedNames[i], "field '" + allowedNames[i] + "' has value '" + v
                        + "' which is not one of " + allowedValues[i]);
            }
        }
        for (int i = 0; i < rangeIdx.length; i++) {
            Object v = fields[rangeIdx[i]];
            if (v != null && !ranges[i].contains(((Number) v).doubleValue())) {
                return new Violation(rangeNames[i], "field '" + rangeNames[i] + "' has value " + v
                        + " outside the allowed range " + ranges[i]);
            }
        }
        return null;
    }

    /** The fields followed by the derived columns, each computed from what precedes it. */
    public Object[] derive(Object[] fields) {
        int n = spec.fields().size();
        Object[] row = new Object[n + spec.derived().size()];
        System.arraycopy(fields, 0, row, 0, n);
        for (int d = 0; d < spec.derived().size(); d++) {
            Object v = spec.derived().get(d).expr().eval(row);
            row[n + d] = v instanceof Long l && spec.derived().get(d).expr().type() == ColumnType.INT ? l.intValue() : v;
        }
        return row;
    }

    /** Whether a derived row passes every filter (a null filter result counts as false, as in SQL). */
    public boolean passesFilters(Object[] row) {
        for (FilterRule f : spec.filters()) {
            if (!Boolean.TRUE.equals(f.expr().eval(row))) {
                return false;
            }
        }
        return true;
    }
}
