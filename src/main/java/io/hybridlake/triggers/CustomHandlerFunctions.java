package io.hybridlake.triggers;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.batch.BatchJobs;
import io.hybridlake.runtime.HybridlakeConfig;
import io.hybridlake.runtime.Platform;
import io.hybridlake.serving.WindowQueries;
import io.hybridlake.stream.BatchOutcome;
import io.hybridlake.stream.EventBatch;
import io.quarkus.funqy.Funq;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Azure Functions custom handler (the native deployment): the Functions host POSTs
 * {@code /<FunctionName>} with {@code {"Data": {<binding>: …}, "Metadata": {…}}} and expects
 * {@code {"Outputs": {…}, "Logs": […], "ReturnValue": …}}. Each function (defined in
 * {@code functions/<name>/function.json}) decodes its trigger's payload and calls the same core as the
 * local triggers. Event Hubs: the events of one partition with their system properties; the sequence
 * number is the offset (as the Kafka endpoint numbers them), so both triggers keep the same marks.
 */
@Singleton
public class CustomHandlerFunctions {
    private static final Logger LOG = Logger.getLogger(CustomHandlerFunctions.class);

    @Inject
    Platform platform;

    @Inject
    ObjectMapper json;

    @Inject
    HybridlakeConfig config;

    /** Every route of the custom handler (the Funqy functions below and the per-pipeline Event Hubs routes). */
    static final Pattern ROUTES = Pattern.compile(
            "/(StreamEvents(_[A-Za-z0-9_]+)?|MergeTimer|CompactTimer|VacuumTimer|LandingScanTimer|IngestHttp|QueryHttp"
                    + "|SqlHttp|RouteHttp)");


    /** The host's invocation request. */
    public static class Invocation {
        @JsonProperty("Data")
        public Map<String, JsonNode> data = Map.of();
        @JsonProperty("Metadata")
        public Map<String, JsonNode> metadata = Map.of();
    }

    /** The answer the host expects; {@code Outputs.res} is an HTTP trigger's response. */
    public static class InvocationResult {
        @JsonProperty("Outputs")
        public Map<String, Object> outputs = new LinkedHashMap<>();
        @JsonProperty("Logs")
        public List<String> logs = new ArrayList<>();
        @JsonProperty("ReturnValue")
        public Object returnValue;
    }

    /**
     * eventHubTrigger, cardinality many (binding {@code events}). A failure answers 500 and the
     * function.json retry policy (unbounded, exponential) re-runs the batch before the host checkpoints.
     */
    @Funq("StreamEvents")
    public InvocationResult streamEvents(Invocation request) {
        EventBatch batch = EventHubsInvocations.decode(request.data, request.metadata, json);
        InvocationResult result = new InvocationResult();
        if (batch.records().isEmpty()) {
            result.logs.add("no events");
            return result;
        }
        BatchOutcome o = platform.streamPath().process(batch);
        result.logs.add(String.format("%s[%d] %d..%d: %d refined, %d rejected, %d late%s", batch.topic(),
                batch.partition(), batch.records().get(0).offset(), batch.lastOffset(), o.refined(), o.rejected(),
                o.late(), o.replaySkipped() ? " (already in the lake)" : ""));
        result.returnValue = o;
        return result;
    }

    /**
     * One Event Hubs function per pipeline hub ({@code functions/StreamEvents_<pipeline>}): the host posts
     * to {@code /StreamEvents_<pipeline>}; all of them are {@link #streamEvents}.
     */
    void register(@Observes Router router) {
        if (!config.functions().customHandler()) {
            // Not behind a Functions host: nobody may post "Event Hubs deliveries" (forged sequence numbers).
            router.routeWithRegex(ROUTES.pattern()).order(Integer.MIN_VALUE + 2).handler(ctx -> ctx.fail(404));
            return;
        }
        router.postWithRegex("/StreamEvents_[A-Za-z0-9_]+").handler(BodyHandler.create()).blockingHandler(ctx -> {
            try {
                Invocation invocation = json.readValue(ctx.body().asString(), Invocation.class);
                JsonReply.send(ctx, json, streamEvents(invocation));
            } catch (IOException e) {
                ctx.fail(new HybridlakeException.BadRequest("StreamEvents", "not an invocation request: "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage()
                                : e.getMessage())));
            }
        });
    }

    /** timerTrigger {@code MergeTimer} ({@code %MERGE_SCHEDULE%}): MERGE, then the curated tables. */
    @Funq("MergeTimer")
    public InvocationResult mergeTimer(Invocation request) {
        return timer("MergeTimer", request, BatchJobs.Job.MERGE, BatchJobs.Job.CURATE);
    }

    /** timerTrigger {@code CompactTimer} ({@code %COMPACT_SCHEDULE%}). */
    @Funq("CompactTimer")
    public InvocationResult compactTimer(Invocation request) {
        return timer("CompactTimer", request, BatchJobs.Job.COMPACT);
    }

    /** timerTrigger {@code VacuumTimer} ({@code %VACUUM_SCHEDULE%}). */
    @Funq("VacuumTimer")
    public InvocationResult vacuumTimer(Invocation request) {
        return timer("VacuumTimer", request, BatchJobs.Job.VACUUM);
    }

    /** timerTrigger {@code LandingScanTimer} ({@code %LANDING_SCAN_SCHEDULE%}): the landing zone on ADLS. */
    @Funq("LandingScanTimer")
    public InvocationResult landingScanTimer(Invocation request) {
        return timer("LandingScanTimer", request, BatchJobs.Job.LANDING_SCAN);
    }

    /**
     * A timer (binding {@code timer}, a singleton across instances; the host does not retry it): the jobs
     * over every pipeline, as the local scheduler runs them. A past-due run (the app was down) is said in
     * the log and runs now: each job catches up with whatever accumulated, and re-running is harmless. A
     * table that failed fails the invocation (the host logs it) after the others ran.
     */
    InvocationResult timer(String name, Invocation request, BatchJobs.Job... jobs) {
        InvocationResult result = new InvocationResult();
        if (request != null && request.data.getOrDefault("timer", json.createObjectNode()).path("IsPastDue").asBoolean()) {
            result.logs.add("past due: the previous run was missed; catching up now");
            LOG.warnf("%s is past due: the previous run was missed; catching up now", name);
        }
        List<BatchJobs.Run> runs = new ArrayList<>();
        for (BatchJobs.Job job : jobs) {
            BatchJobs.Run run = platform.batchJobs().run(job);
            BatchSchedules.log(run);
            runs.add(run);
            result.logs.add(job.label() + ": " + run.parts().size() + " pipelines, " + run.count() + " records or files"
                    + (run.failures().isEmpty() ? "" : ", failed: " + run.failures().stream().map(BatchJobs.Part::table)
                            .toList()));
        }
        result.returnValue = runs;
        List<BatchJobs.Part> failed = runs.stream().flatMap(r -> r.failures().stream()).toList();
        if (!failed.isEmpty()) {
            throw new HybridlakeException(failed.get(0).table(), name + ": " + failed.size() + " table(s) failed, first "
                    + failed.get(0).table() + ": " + failed.get(0).error());
        }
        return result;
    }

    /** httpTrigger {@code IngestHttp}: body {@code {"table", "events": [...]}}, as POST /ingest. */
    @Funq("IngestHttp")
    public InvocationResult ingestHttp(Invocation request) {
        return http(request, req -> {
            JsonNode body = body(req);
            if (!body.path("table").isTextual() || !body.path("events").isArray()) {
                throw new HybridlakeException.BadRequest("IngestHttp", "send {\"table\": \"<name>\", \"events\": [ {...}, ... ]}");
            }
            return LakeFunctions.publish(platform, json, body.path("table").asText(), body.path("events"));
        });
    }

    /** httpTrigger {@code QueryHttp}: {@code ?table&key[&window]} — the key's windows from the speed cache. */
    @Funq("QueryHttp")
    public InvocationResult queryHttp(Invocation request) {
        return http(request, req -> {
            JsonNode q = req.path("Query");
            return new WindowQueries(platform.catalog(), platform.cache()).windows(required(q, "table"),
                    q.path("window").asText(null), required(q, "key"), q.path("limit").asInt(1000));
        });
    }

    /** httpTrigger {@code SqlHttp}: read-only SQL in the body (or {@code ?q=}). */
    @Funq("SqlHttp")
    public InvocationResult sqlHttp(Invocation request) {
        return http(request, req -> {
            String sql = req.path("Query").path("q").asText(null);
            if (sql == null) {
                JsonNode body = req.path("Body");
                sql = body.isTextual() ? body.asText() : null;
            }
            if (sql == null || sql.isBlank()) {
                throw new HybridlakeException.BadRequest("sql", "send the statement as the body or ?q=");
            }
            return platform.sql().query(sql, 0); // the configured row limit
        });
    }

    /** httpTrigger {@code RouteHttp}: the workload router, body as POST /route. */
    @Funq("RouteHttp")
    public InvocationResult routeHttp(Invocation request) {
        return http(request, req -> platform.router().route(ServingRoutes.job(body(req), json)));
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
