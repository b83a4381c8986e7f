package io.hybridlake.triggers.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.hybridlake.triggers.CustomHandlerStream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The stream path on the Java worker (QUARKUS_PROFILE=azure,eventhubs-entra,functions-jvm): one Event
 * Hubs function per pipeline (cardinality many, retried without limit before the host may checkpoint),
 * each calling the custom handler's {@link CustomHandlerStream}. A pipeline's function is declared here,
 * in {@code functions/} and in the Bicep; {@code PipelinesAreDeclaredOnEveryHostTest} fails when they drift.
 */
@ApplicationScoped
public class JvmStreamFunctions {
    @Inject
    CustomHandlerStream stream;

    @Inject
    ObjectMapper json;

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

    private void stream(List<String> events, Map<String, Object> partitionContext, Map<String, Object>[] properties,
            ExecutionContext context) {
        JvmInvocations.log(context, stream.streamEvents(JvmInvocations.events(json, events, partitionContext, properties)));
    }
}
