package io.hybridlake.triggers;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What the Azure Functions host posts to a custom handler's {@code /<FunctionName>}:
 * {@code {"Data": {<binding>: …}, "Metadata": {…}}}.
 */
public class Invocation {
    @JsonProperty("Data")
    public Map<String, JsonNode> data = Map.of();
    @JsonProperty("Metadata")
    public Map<String, JsonNode> metadata = Map.of();
}
