package io.hybridlake.triggers.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.hybridlake.triggers.Invocation;
import io.hybridlake.triggers.InvocationResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Java worker binds, turned into the Functions host's invocation shape (the custom handler's
 * {@link Invocation}) and back, so that both deployments run one handler per trigger.
 */
final class JvmInvocations {
    private JvmInvocations() {
    }

    /** An Event Hubs batch, with the partition and each event's system properties. */
    static Invocation events(ObjectMapper json, List<String> events, Map<String, Object> partitionContext,
            Map<String, Object>[] properties) {
        Invocation invocation = new Invocation();
        invocation.data = Map.of("events", json.valueToTree(events));
        invocation.metadata = Map.of("PartitionContext", json.valueToTree(partitionContext),
                "SystemPropertiesArray", json.valueToTree(properties));
        return invocation;
    }

    /** A timer's firing ({@code IsPastDue} and the schedule's status, as JSON). */
    static Invocation timer(ObjectMapper json, String timer) throws IOException {
        Invocation invocation = new Invocation();
        invocation.data = Map.of("timer", json.readTree(timer == null ? "{}" : timer));
        return invocation;
    }

    /** The host's {@code req} object from the worker's request. */
    static Invocation http(ObjectMapper json, HttpRequestMessage<Optional<String>> request) {
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

    /** The worker's response from the handler's {@code Outputs.res}. */
    @SuppressWarnings("unchecked")
    static HttpResponseMessage respond(HttpRequestMessage<Optional<String>> request, InvocationResult result) {
        Map<String, Object> res = (Map<String, Object>) result.outputs.get("res");
        HttpResponseMessage.Builder builder = request.createResponseBuilder(
                HttpStatus.valueOf(((Number) res.get("statusCode")).intValue())).body(res.get("body"));
        ((Map<String, String>) res.get("headers")).forEach(builder::header);
        return builder.build();
    }

    /** The handler's log lines in the invocation's log (Application Insights). */
    static void log(ExecutionContext context, InvocationResult result) {
        if (context != null) {
            result.logs.forEach(l -> context.getLogger().info(l));
        }
    }
}
