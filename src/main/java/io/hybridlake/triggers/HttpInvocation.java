package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP trigger's invocation by the Functions host: its {@code req} (Url, Method, Query, Headers,
 * Body) handed to the work, and the answer, or the problem document of its failure, returned as
 * {@code Outputs.res}, never thrown (the host would answer 500 without saying why).
 */
final class HttpInvocation {
    /** What an HTTP trigger does with the host's {@code req}. */
    interface Work {
        Object run(JsonNode req) throws Exception;
    }

    private HttpInvocation() {
    }

    static InvocationResult answer(Invocation request, ObjectMapper json, Work work) {
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

    /** The request's body as JSON (the host sends it as text or, for a JSON request, already parsed). */
    static JsonNode body(JsonNode req, ObjectMapper json) {
        JsonNode body = req.path("Body");
        return body.isTextual() ? HttpInputs.object(json, body.asText(), "body") : body;
    }
}
