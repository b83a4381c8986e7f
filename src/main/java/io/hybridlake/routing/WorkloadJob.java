package io.hybridlake.routing;

import java.time.Duration;
import java.util.List;

/**
 * A job for the workload router: where its data is ({@code rows} inline as JSON objects, or a
 * {@code file} in the table's landing zone), how soon results are needed ({@code latency}, null when
 * unstated), how many records it has ({@code records}, null when unstated: the inline rows are
 * counted), whether it is exploratory, and for ad-hoc work the {@code sql} to run (over the lake's
 * tables, and over the job's own data as {@code job}).
 */
public record WorkloadJob(String table, List<byte[]> rows, String file, Duration latency, Long records,
        boolean exploratory, String sql, boolean dryRun) {
    public WorkloadJob {
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    /** The declared volume, else the inline rows' count, else null (unknown). */
    Long volume() {
        if (records != null) {
            return records;
        }
        return rows.isEmpty() ? null : (long) rows.size();
    }
}
