package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.routing.WorkloadJob;
import io.hybridlake.routing.WorkloadRouter;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.WindowQueries;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.stream.EventBodies;
import io.hybridlake.stream.Ingestor;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The custom handler's HTTP triggers ({@code functions/<name>Http}, behind the host's function keys):
 * the host's {@code req} decoded, the same core as the local routes called ({@link HttpInvocation}).
 */
@Singleton
public class CustomHandlerHttp {
    @Inject
    Ingestor ingestor;

    @Inject
    PipelineCatalog catalog;

    @Inject
    SpeedCache cache;

    @Inject
    LakeSql sql;

    @Inject
    WorkloadRouter router;

    @Inject
    ObjectMapper json;

    /** httpTrigger {@code IngestHttp}: body {@code {"table", "events": [...]}}, as POST /ingest. */
    @Funq("IngestHttp")
    public InvocationResult ingestHttp(Invocation request) {
        return HttpInvocation.answer(request, json, req -> {
            JsonNode body = HttpInvocation.body(req, json);
            if (!body.path("table").isTextual() || !body.path("events").isArray()) {
                throw new HybridlakeException.BadRequest("IngestHttp", "send {\"table\": \"<name>\", \"events\": [ {...}, ... ]}");
            }
            return ingestor.ingest(body.path("table").asText(), EventBodies.of(body.path("events")));
        });
    }

    /** httpTrigger {@code QueryHttp}: {@code ?table&key[&window][&limit]} — the key's windows from the speed cache. */
    @Funq("QueryHttp")
    public InvocationResult queryHttp(Invocation request) {
        return HttpInvocation.answer(request, json, req -> {
            JsonNode q = req.path("Query");
            return new WindowQueries(catalog, cache).windows(HttpInputs.required(q, "table"), q.path("window").asText(null),
                    HttpInputs.required(q, "key"), HttpInputs.wholeNumber(q.path("limit").asText(null), "limit", 1000));
        });
    }

    /** httpTrigger {@code SqlHttp}: read-only SQL in the body (or {@code ?q=}), at the configured row limit. */
    @Funq("SqlHttp")
    public InvocationResult sqlHttp(Invocation request) {
        return HttpInvocation.answer(request, json, req -> {
            JsonNode statement = req.path("Query").has("q") ? req.path("Query").path("q") : req.path("Body");
            if (!statement.isTextual() || statement.asText().isBlank()) {
                throw new HybridlakeException.BadRequest("sql", "send the statement as the body or ?q=");
            }
            return sql.query(statement.asText(), 0);
        });
    }

    /** httpTrigger {@code RouteHttp}: the workload router, body as POST /route. */
    @Funq("RouteHttp")
    public InvocationResult routeHttp(Invocation request) {
        return HttpInvocation.answer(request, json, req -> router.route(WorkloadJob.fromJson(HttpInvocation.body(req,
                json), json)));
    }
}
