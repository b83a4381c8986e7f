package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.serving.sql.ResultCsv;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Read-only SQL over the lake ({@link LakeSql}): {@code POST /sql} with {@code {"sql": "...", "maxRows": n}}
 * or the statement as text/plain, and {@code GET /sql?q=...}; {@code format=csv} or {@code Accept: text/csv}
 * for CSV (truncation in {@code x-hybridlake-truncated}), JSON otherwise.
 */
@ApplicationScoped
public class SqlRoutes {
    @Inject
    LakeSql sql;

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        BodyLimit.on(router.post("/sql"), 1 << 20).blockingHandler(this::post, false);
        router.get("/sql").blockingHandler(ctx -> answer(ctx, ctx.queryParams().get("q"), maxRows(ctx)), false);
    }

    private void post(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("content-type");
        if (contentType != null && contentType.startsWith("application/json")) {
            JsonNode request = HttpInputs.object(json, ctx.body().asString(), "body");
            answer(ctx, request.path("sql").asText(null), request.path("maxRows").asInt(0));
        } else {
            answer(ctx, ctx.body().asString(), maxRows(ctx));
        }
    }

    private void answer(RoutingContext ctx, String statement, int maxRows) {
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

    private static int maxRows(RoutingContext ctx) {
        return HttpInputs.wholeNumber(ctx.queryParams().get("maxRows"), "maxRows", 0);
    }
}
