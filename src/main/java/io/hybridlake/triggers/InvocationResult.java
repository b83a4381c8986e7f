package io.hybridlake.triggers;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answer the Functions host expects from a custom handler; {@code Outputs.res} is an HTTP trigger's response. */
public class InvocationResult {
    @JsonProperty("Outputs")
    public Map<String, Object> outputs = new LinkedHashMap<>();
    @JsonProperty("Logs")
    public List<String> logs = new ArrayList<>();
    @JsonProperty("ReturnValue")
    public Object returnValue;
}
