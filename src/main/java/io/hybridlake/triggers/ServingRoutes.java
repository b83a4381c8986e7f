package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.Durations;
import io.hybridlake.routing.WorkloadJob;
import io.hybridlake.runtime.Platform;
import io.hybridlake.serving.sql.LakeSql;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serving over HTTP, thin adapters over {@code serving}:
 * <ul>
 * <li>{@code POST /sql} (body {@code {"sql": "...", "maxRows": n}} or the statement as text/plain) and
 * {@code GET /sql?q=...}: read-only SQL over the lake; {@code format=csv} or {@code Accept: text/csv}
 * for CSV, JSON otherwise;</li>
 * <li>{@code GET /tables/{table}/unified?window=&key=&from=&to=&windows=false}: Pattern 1's unified
 * query, batch view + speed layer, with its freshness;</li>
 * <li>{@code POST /route}: Pattern 3's workload router.</li>
 * </ul>
 */
@ApplicationScoped
public class ServingRoutes {
    @Inject
    Platform platform;

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        BodyLimit.on(router.post("/sql"), 1 << 20).blockingHandler(this::postSql, false);
        router.get("/sql").blockingHandler(ctx -> sql(ctx, ctx.queryParams().get("q"), intParam(ctx, "maxRows")), false);
        router.get("/tables/:table/unified").blockingHandler(this::unified, false);
        BodyLimit.on(router.post("/route"), 64 << 20).blockingHandler(this::route, false);
    }

    private void postSql(RoutingContext ctx) {
        String body = ctx.body().asString();
        String contentType = ctx.request().getHeader("content-type");
        if (contentType != null && contentType.startsWith("application/json")) {
            try {
                JsonNode request = json.readTree(body);
                sql(ctx, request.path("sql").asText(null), request.path("maxRows").asInt(0));
            } catch (IOException e) {
                ctx.fail(new HybridlakeException.BadRequest("sql", "the body is not JSON: " + e.getMessage()));
            }
        } else {
            sql(ctx, body, intParam(ctx, "maxRows"));
        }
    }

    private void sql(RoutingContext ctx, String statement, int maxRows) {
        LakeSql.Result result = platform.sql().query(statement, maxRows);
        String format = ctx.queryParams().get("format");
        String accept = ctx.request().getHeader("accept");
        if ("csv".equalsIgnoreCase(format) || (format == null && accept != null && accept.startsWith("text/csv"))) {
            ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
                    .putHeader("x-hybridlake-truncated", Boolean.toString(result.truncated()))
                    .end(Csv.of(result));
        } else {
            JsonReply.send(ctx, json, result);
        }
    }

    private void unified(RoutingContext ctx) {
        var q = ctx.queryParams();
        var answer = platform.unifiedQuery().query(ctx.pathParam("table"), q.get("window"), q.get("key"),
                instant(q.get("from"), "from"), instant(q.get("to"), "to"), !"false".equals(q.get("windows")));
        JsonReply.send(ctx, json, answer);
    }

    /**
     * {@code POST /route}: a job for the workload router, {@code {"table": ..., "rows": [...] | "file": ...,
     * "latency": "30s", "records": n, "exploratory": bool, "sql": ..., "dryRun": bool}}.
     */
    private void route(RoutingContext ctx) {
        JsonNode body;
        try {
            body = json.readTree(ctx.body().asString());
        } catch (IOException | RuntimeException e) {
            throw new HybridlakeException.BadRequest("job", "the job must be a JSON object: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw new HybridlakeException.BadRequest("job", "the job must be a JSON object");
        }
        WorkloadJob job = job(body, json);
        if (job.sql() != null && !ApiKeyFilter.require(ctx, Role.READ, "a job with 'sql' (ad-hoc, reads the lake)")) {
            return;
        }
        JsonReply.send(ctx, json, platform.router().route(job));
    }

    /** A workload job from its JSON form (POST /route, the RouteHttp function). */
    static WorkloadJob job(JsonNode body, ObjectMapper json) {
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

    private static Instant instant(String text, String name) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new HybridlakeException.BadRequest(name, "'" + name + "' must be an ISO-8601 instant such as "
                    + "2026-11-25T10:00:00Z, not '" + text + "'");
        }
    }

    private static int intParam(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        try {
            return v == null ? 0 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new HybridlakeException.BadRequest(name, "'" + name + "' must be a whole number, not '" + v + "'");
        }
    }

    /** RFC 4180 CSV of a result: a header row, then the rows; fields quoted when they need it. */
    static final class Csv {
        private static final ObjectMapper JSON_TEXT = new ObjectMapper();

        private Csv() {
        }

        static String of(LakeSql.Result result) {
            StringBuilder out = new StringBuilder();
            line(out, result.columns().stream().map(c -> (Object) c.name()).toList());
            for (List<Object> row : result.rows()) {
                line(out, row);
            }
            return out.toString();
        }

        private static void line(StringBuilder out, List<Object> values) {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                Object v = values.get(i);
                if (v != null) {
                    String s = v instanceof Map<?, ?> || v instanceof List<?> ? JSON_TEXT.valueToTree(v).toString()
                            : v.toString();
                    boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
                    out.append(quote ? '"' + s.replace("\"", "\"\"") + '"' : s);
                }
            }
            out.append("\r\n");
        }
    }
}
