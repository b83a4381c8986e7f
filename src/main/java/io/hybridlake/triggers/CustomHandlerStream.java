package io.hybridlake.triggers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.runtime.HybridlakeConfig;
import io.hybridlake.stream.BatchOutcome;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.StreamPath;
import io.quarkus.funqy.Funq;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The Azure Functions custom handler (the native deployment), its Event Hubs triggers: the host posts
 * {@code /StreamEvents_<pipeline>} ({@code functions/<name>/function.json}) with the events of one
 * partition and their system properties; the sequence number is the offset (as the Kafka endpoint
 * numbers them), so both triggers keep the same marks in the lake. Timers: {@link CustomHandlerTimers};
 * HTTP: {@link CustomHandlerHttp}.
 */
@Singleton
public class CustomHandlerStream {
    /** Every route of the custom handler: served only where a Functions host calls them. */
    static final Pattern ROUTES = Pattern.compile(
            "/(StreamEvents(_[A-Za-z0-9_]+)?|MergeTimer|CompactTimer|VacuumTimer|LandingScanTimer|IngestHttp|QueryHttp"
                    + "|SqlHttp|RouteHttp)");

    @Inject
    StreamPath streamPath;

    @Inject
    ObjectMapper json;

    @Inject
    HybridlakeConfig config;

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
        BatchOutcome o = streamPath.process(batch);
        result.logs.add(String.format("%s[%d] %d..%d: %d refined, %d rejected, %d late%s", batch.topic(),
                batch.partition(), batch.records().get(0).offset(), batch.lastOffset(), o.refined(), o.rejected(),
                o.late(), o.replaySkipped() ? " (already in the lake)" : ""));
        result.returnValue = o;
        return result;
    }

    /** One Event Hubs function per pipeline hub; all of them are {@link #streamEvents}. */
    void register(@Observes Router router) {
        if (!config.functions().customHandler()) {
            // Not behind a Functions host: nobody may post "Event Hubs deliveries" (forged sequence numbers).
            router.routeWithRegex(ROUTES.pattern()).order(Integer.MIN_VALUE + 2).handler(ctx -> ctx.fail(404));
            return;
        }
        router.postWithRegex("/StreamEvents_[A-Za-z0-9_]+").handler(BodyHandler.create()).blockingHandler(ctx -> {
            try {
                JsonReply.send(ctx, json, streamEvents(json.readValue(ctx.body().asString(), Invocation.class)));
            } catch (IOException e) {
                ctx.fail(new HybridlakeException.BadRequest("StreamEvents", "not an invocation request: "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())));
            }
        });
    }
}
