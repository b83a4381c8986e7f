package io.hybridlake.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * A job from its JSON form (POST /route, the RouteHttp function): {@code {"table": ..., "rows": [...] |
     * "file": ..., "latency": "30s" | seconds, "records": n, "exploratory": bool, "sql": ..., "dryRun": bool}}.
     */
    public static WorkloadJob fromJson(JsonNode body, ObjectMapper json) {
        List<byte[]> rows = new ArrayList<>();
        for (JsonNode row : body.path("rows")) {
            try {
                rows.add(json.writeValueAsBytes(row));
            } catch (IOException e) {
                throw new HybridlakeException.BadRequest("rows", "a row cannot be read: " + e.getMessage());
            }
        }
        Duration latency = null;
        JsonNode l = body.path("latency");
        if (l.isNumber()) {
            latency = Duration.ofMillis((long) (l.asDouble() * 1000));
        } else if (l.isTextual()) {
            try {
                latency = Durations.parse(l.asText());
            } catch (IllegalArgumentException e) {
                throw new HybridlakeException.BadRequest("latency", e.getMessage());
            }
        }
        WorkloadJob job = new WorkloadJob(body.path("table").asText(null), rows, body.path("file").asText(null), latency,
                body.path("records").isNumber() ? body.path("records").asLong() : null, body.path("exploratory").asBoolean(),
                body.path("sql").asText(null), body.path("dryRun").asBoolean());
        if (job.table() == null && job.sql() == null) {
            throw new HybridlakeException.BadRequest("table", "a job names its pipeline ('table'), or is a 'sql' query");
        }
        return job;
    }
}
