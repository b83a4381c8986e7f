package io.hybridlake.triggers.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.hybridlake.triggers.CustomHandlerHttp;
import io.hybridlake.triggers.CustomHandlerStream;
import io.hybridlake.triggers.CustomHandlerTimers;
import io.hybridlake.triggers.Invocation;
import io.hybridlake.triggers.InvocationResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Azure Functions on the Java worker (quarkus-azure-functions; the JVM deployment, QUARKUS_PROFILE=
 * azure,eventhubs-entra,functions-jvm). Each function turns what the worker binds into the host's
 * invocation shape and calls the same handler as the native custom handler
 * ({@link CustomHandlerStream}, {@link CustomHandlerTimers}, {@link CustomHandlerHttp}): one code path for both
 * deployments.
 */
@ApplicationScoped
public class JvmFunctions {
    @Inject
    CustomHandlerStream stream;

    @Inject
    CustomHandlerTimers timers;

    @Inject
    CustomHandlerHttp http;

    @Inject
    ObjectMapper json;

    /** Event Hubs, cardinality many; retried without limit before the host may checkpoint. */
    @FunctionName("StreamEvents_transactions")
    @ExponentialBackoffRetry(maxRetryCount = -1, minimumInterval = "00:00:01", maximumInterval = "00:05:00")
    public void streamTransactions(
            @EventHubTrigger(name = "events", eventHubName = "hybridlake.transactions", connection = "EVENTHUBS",
                    consumerGroup = "%EVENTHUBS_CONSUMER_GROUP%", cardinality = Cardinality.MANY, dataType = "string")
            List<String> events,
            @BindingName("PartitionContext") Map<String, Object> partitionContext,
            @BindingName("SystemPropertiesArray") Map<String, Object>[] properties, ExecutionContext context) {
        stream(events, partitionContext, properties, context);
    }

    @FunctionName("StreamEvents_user_events")
    @ExponentialBackoffRetry(maxRetryCount = -1, minimumInterval = "00:00:01", maximumInterval = "00:05:00")
    public void streamUserEvents(
            @EventHubTrigger(name = "events", eventHubName = "hybridlake.user_events", connection = "EVENTHUBS",
                    consumerGroup = "%EVENTHUBS_CONSUMER_GROUP%", cardinality = Cardinality.MANY, dataType = "string")
            List<String> events,
            @BindingName("PartitionContext") Map<String, Object> partitionContext,
            @BindingName("SystemPropertiesArray") Map<String, Object>[] properties, ExecutionContext context) {
        stream(events, partitionContext, properties, context);
    }

    void stream(List<String> events, Map<String, Object> partitionContext, Map<String, Object>[] properties,
            ExecutionContext context) {
        Invocation invocation = new Invocation();
        invocation.data = Map.of("events", json.valueToTree(events));
        invocation.metadata = Map.of("PartitionContext", json.valueToTree(partitionContext),
                "SystemPropertiesArray", json.valueToTree(properties));
        log(context, stream.streamEvents(invocation));
    }

    /** MERGE + curation; the worker runs timers as a singleton; {@code IsPastDue} is in the timer's JSON. */
    @FunctionName("MergeTimer")
    public void mergeTimer(@TimerTrigger(name = "timer", schedule = "%MERGE_SCHEDULE%") String timer,
            ExecutionContext context) throws Exception {
        log(context, timers.mergeTimer(timer(timer)));
    }

    @FunctionName("CompactTimer")
    public void compactTimer(@TimerTrigger(name = "timer", schedule = "%COMPACT_SCHEDULE%") String timer,
            ExecutionContext context) throws Exception {
        log(context, timers.compactTimer(timer(timer)));
    }

    @FunctionName("VacuumTimer")
    public void vacuumTimer(@TimerTrigger(name = "timer", schedule = "%VACUUM_SCHEDULE%") String timer,
            ExecutionContext context) throws Exception {
        log(context, timers.vacuumTimer(timer(timer)));
    }

    @FunctionName("LandingScanTimer")
    public void landingScanTimer(@TimerTrigger(name = "timer", schedule = "%LANDING_SCAN_SCHEDULE%") String timer,
            ExecutionContext context) throws Exception {
        log(context, timers.landingScanTimer(timer(timer)));
    }

    private Invocation timer(String timer) throws java.io.IOException {
        Invocation invocation = new Invocation();
        invocation.data = Map.of("timer", json.readTree(timer == null ? "{}" : timer));
        return invocation;
    }

    @FunctionName("IngestHttp")
    public HttpResponseMessage ingest(@HttpTrigger(name = "req", methods = {HttpMethod.POST},
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return respond(request, http.ingestHttp(invocation(request)));
    }

    @FunctionName("QueryHttp")
    public HttpResponseMessage query(@HttpTrigger(name = "req", methods = {HttpMethod.GET},
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return respond(request, http.queryHttp(invocation(request)));
    }

    @FunctionName("SqlHttp")
    public HttpResponseMessage sql(@HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.POST},
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return respond(request, http.sqlHttp(invocation(request)));
    }

    @FunctionName("RouteHttp")
    public HttpResponseMessage route(@HttpTrigger(name = "req", methods = {HttpMethod.POST},
            authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return respond(request, http.routeHttp(invocation(request)));
    }

    /** The host's {@code req} object from the worker's request. */
    Invocation invocation(HttpRequestMessage<Optional<String>> request) {
        ObjectNode req = json.createObjectNode();
        req.put("Url", String.valueOf(request.getUri()));
        req.put("Method", request.getHttpMethod().name());
        req.set("Query", json.valueToTree(request.getQueryParameters()));
        req.set("Headers", json.valueToTree(request.getHeaders()));
        req.put("Body", request.getBody().orElse(null));
        Invocation invocation = new Invocation();
        invocation.data = Map.of("req", req);
        return invocation;
    }

    @SuppressWarnings("unchecked")
    static HttpResponseMessage respond(HttpRequestMessage<Optional<String>> request, InvocationResult result) {
        Map<String, Object> res = (Map<String, Object>) result.outputs.get("res");
        HttpResponseMessage.Builder builder = request.createResponseBuilder(
                HttpStatus.valueOf(((Number) res.get("statusCode")).intValue())).body(res.get("body"));
        ((Map<String, String>) res.get("headers")).forEach(builder::header);
        return builder.build();
    }

    private static void log(ExecutionContext context, InvocationResult result) {
        if (context != null) {
            result.logs.forEach(l -> context.getLogger().info(l));
        }
    }
}
