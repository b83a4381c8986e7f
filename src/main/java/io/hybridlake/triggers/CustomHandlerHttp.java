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
import io.hybridlake.stream.Ingestor;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The custom handler's HTTP triggers ({@code functions/<name>Http}, behind the host's function keys):
 * the host's {@code req} (Url, Method, Query, Headers, Body) decoded, the same core as the local routes
 * called, the answer or a problem document returned as {@code Outputs.res}.
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
        return http(request, req -> {
            JsonNode body = body(req);
            if (!body.path("table").isTextual() || !body.path("events").isArray()) {
                throw new HybridlakeException.BadRequest("IngestHttp", "send {\"table\": \"<name>\", \"events\": [ {...}, ... ]}");
            }
            return LakeFunctions.publish(ingestor, json, body.path("table").asText(), body.path("events"));
        });
    }

    /** httpTrigger {@code QueryHttp}: {@code ?table&key[&window]} — the key's windows from the speed cache. */
    @Funq("QueryHttp")
    public InvocationResult queryHttp(Invocation request) {
        return http(request, req -> {
            JsonNode q = req.path("Query");
            return new WindowQueries(catalog, cache).windows(required(q, "table"),
                    q.path("window").asText(null), required(q, "key"), q.path("limit").asInt(1000));
        });
    }

    /** httpTrigger {@code SqlHttp}: read-only SQL in the body (or {@code ?q=}). */
    @Funq("SqlHttp")
    public InvocationResult sqlHttp(Invocation request) {
        return http(request, req -> {
            String statement = req.path("Query").path("q").asText(null);
            if (statement == null) {
                JsonNode body = req.path("Body");
                statement = body.isTextual() ? body.asText() : null;
            }
            if (statement == null || statement.isBlank()) {
                throw new HybridlakeException.BadRequest("sql", "send the statement as the body or ?q=");
            }
            return sql.query(statement, 0); // the configured row limit
        });
    }

    /** httpTrigger {@code RouteHttp}: the workload router, body as POST /route. */
    @Funq("RouteHttp")
    public InvocationResult routeHttp(Invocation request) {
        return http(request, req -> router.route(WorkloadJob.fromJson(body(req), json)));
    }

    private JsonNode body(JsonNode req) throws IOException {
        JsonNode body = req.path("Body");
        return body.isTextual() ? json.readTree(body.asText()) : body;
    }

    private static String required(JsonNode query, String name) {
        String v = query.path(name).asText(null);
        if (v == null) {
            throw new HybridlakeException.BadRequest(name, "the '" + name + "' parameter is required");
        }
        return v;
    }

    private interface HttpWork {
        Object run(JsonNode req) throws Exception;
    }

    /** Runs an HTTP trigger's work; answers {@code Outputs.res} with JSON or a problem document, never throwing. */
    private InvocationResult http(Invocation request, HttpWork work) {
        InvocationResult result = new InvocationResult();
        Map<String, Object> res = new LinkedHashMap<>();
        JsonNode req = request.data.getOrDefault("req", json.createObjectNode());
        try {
            res.put("statusCode", 200);
            res.put("body", json.writeValueAsString(work.run(req)));
            res.put("headers", Map.of("Content-Type", "application/json"));
        } catch (Exception e) {
            Map<String, Object> problem = ProblemDetails.problem(e, req.path("Url").asText(""));
            res.put("statusCode", problem.get("status"));
            res.put("body", json.valueToTree(problem).toString());
            res.put("headers", Map.of("Content-Type", "application/problem+json"));
            result.logs.add(problem.get("status") + " " + problem.get("detail"));
        }
        result.outputs.put("res", res);
        return result;
    }
}
