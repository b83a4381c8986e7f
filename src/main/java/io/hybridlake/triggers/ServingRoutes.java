package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.routing.WorkloadJob;
import io.hybridlake.routing.WorkloadRouter;
import io.hybridlake.serving.UnifiedQuery;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.serving.sql.ResultCsv;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

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
    LakeSql sql;

    @Inject
    UnifiedQuery unifiedQuery;

    @Inject
    WorkloadRouter router;

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
        LakeSql.Result result = sql.query(statement, maxRows);
        String format = ctx.queryParams().get("format");
        String accept = ctx.request().getHeader("accept");
        if ("csv".equalsIgnoreCase(format) || (format == null && accept != null && accept.startsWith("text/csv"))) {
            ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
                    .putHeader("x-hybridlake-truncated", Boolean.toString(result.truncated()))
                    .end(ResultCsv.of(result));
        } else {
            JsonReply.send(ctx, json, result);
        }
    }

    private void unified(RoutingContext ctx) {
        var q = ctx.queryParams();
        var answer = unifiedQuery.query(ctx.pathParam("table"), q.get("window"), q.get("key"),
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
        WorkloadJob job = WorkloadJob.fromJson(body, json);
        if (job.sql() != null && !ApiKeyFilter.require(ctx, Role.READ, "a job with 'sql' (ad-hoc, reads the lake)")) {
            return;
        }
        JsonReply.send(ctx, json, router.route(job));
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
}
