package io.hybridlake.batch;

import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import java.util.Comparator;

/**
 * The order the batch path writes rows in when a pipeline declares {@code cluster_by}: by those
 * columns, nulls first. Sorted files get tight min/max statistics per file and per row group, so
 * readers filtering on the columns skip most data. Indices are the refined layout's, which the merged
 * layout extends, so one order serves both.
 */
final class ClusterOrder implements Comparator<Object[]> {
    private final int[] columns;

    private ClusterOrder(int[] columns) {
        this.columns = columns;
    }

    /** The pipeline's order, or null when it declares no clustering. */
    static ClusterOrder of(PipelineSpec spec) {
        if (spec.clusterBy().isEmpty()) {
            return null;
        }
        RowRules rules = new RowRules(spec);
        return new ClusterOrder(spec.clusterBy().stream().mapToInt(rules::columnIndex).toArray());
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int compare(Object[] a, Object[] b) {
        for (int c : columns) {
            Object x = a[c];
            Object y = b[c];
            int cmp = x == null ? (y == null ? 0 : -1) : y == null ? 1 : ((Comparable) x).compareTo(y);
            if (cmp != 0) {
                return cmp;
            }
        }
        return 0;
    }
}
