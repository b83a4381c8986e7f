package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.routing.WorkloadJob;
import io.hybridlake.routing.WorkloadRouter;
import io.hybridlake.serving.UnifiedQuery;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Serving over HTTP, thin adapters over {@code serving} and {@code routing} (SQL is {@link SqlRoutes}):
 * {@code GET /tables/{table}/unified?window=&key=&from=&to=&windows=false}, Pattern 1's unified query
 * (batch view + speed layer, with its freshness), and {@code POST /route}, Pattern 3's workload router
 * ({@code {"table", "rows": [...] | "file", "latency": "30s", "records": n, "exploratory": bool, "sql",
 * "dryRun": bool}}).
 */
@ApplicationScoped
public class ServingRoutes {
    @Inject
    UnifiedQuery unifiedQuery;

    @Inject
    WorkloadRouter router;

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.get("/tables/:table/unified").blockingHandler(this::unified, false);
        BodyLimit.on(router.post("/route"), 64 << 20).blockingHandler(this::route, false);
    }

    private void unified(RoutingContext ctx) {
        var q = ctx.queryParams();
        var answer = unifiedQuery.query(ctx.pathParam("table"), q.get("window"), q.get("key"),
                HttpInputs.instant(q.get("from"), "from"), HttpInputs.instant(q.get("to"), "to"),
                !"false".equals(q.get("windows")));
        JsonReply.send(ctx, json, answer);
    }

    private void route(RoutingContext ctx) {
        WorkloadJob job = WorkloadJob.fromJson(HttpInputs.object(json, ctx.body().asString(), "job"), json);
        if (job.sql() != null && !ApiKeyFilter.require(ctx, Role.READ, "a job with 'sql' (ad-hoc, reads the lake)")) {
            return;
        }
        JsonReply.send(ctx, json, router.route(job));
    }
}
