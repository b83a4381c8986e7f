package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.stream.PipelineStates;
import io.hybridlake.stream.StreamPath;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The pipelines' stream consumers for operators: {@code GET /pipelines} (each one's state and why it is
 * not ready), {@code POST /pausePipeline {"table", "reason"}} (stop consuming on this instance; events wait in
 * the broker), {@code POST /resumePipeline {"table"}} (consume again; retry a pipeline paused after failures now) and
 * {@code POST /resetOffsets {"table", "partition", "to": "earliest"|"latest"|<offset>, "reason"}} (resume a
 * partition whose source went backwards, recorded in raw/stream's commit history).
 */
@ApplicationScoped
public class PipelineRoutes {
    @Inject
    PipelineStates pipelineStates;

    @Inject
    PipelineCatalog catalog;

    @Inject
    StreamPath streamPath;

    @Inject
    Admin admin;

    @Inject
    StreamConsumers consumers;

    @Inject
    ObjectMapper json;

    private static final int MAX_BODY_BYTES = 64 << 10;

    void register(@Observes Router router) {
        router.get("/pipelines").handler(ctx -> JsonReply.send(ctx, json, pipelineStates.all()));
        BodyLimit.on(router.post("/pausePipeline"), MAX_BODY_BYTES).blockingHandler(this::pause);
        BodyLimit.on(router.post("/resumePipeline"), MAX_BODY_BYTES).blockingHandler(this::resume);
        BodyLimit.on(router.post("/resetOffsets"), MAX_BODY_BYTES).blockingHandler(this::reset);
    }

    private void resume(RoutingContext ctx) {
        String table = text(body(ctx), "table");
        catalog.table(table);
        pipelineStates.resume(table);
        consumers.recheck(table);
        JsonReply.send(ctx, json, pipelineStates.of(table));
    }

    private void pause(RoutingContext ctx) {
        JsonNode body = body(ctx);
        String table = text(body, "table");
        catalog.table(table);
        if (!consumers.consumes(table)) { // a pause nothing honours would be reported as if it held
            throw new HybridlakeException.BadRequest(table, "this instance runs no stream consumer for pipeline " + table
                    + " (hybridlake.stream.consume=false, as where the Functions host's Event Hubs trigger delivers its "
                    + "events): there is nothing here to pause");
        }
        String reason = body.path("reason").asText("");
        if (reason.length() > 500) {
            throw new HybridlakeException.BadRequest("reason", "'reason' is at most 500 characters");
        }
        pipelineStates.pause(table, reason.isBlank() ? "no reason given" : reason);
        JsonReply.send(ctx, json, pipelineStates.of(table));
    }

    private void reset(RoutingContext ctx) {
        JsonNode body = body(ctx);
        String table = text(body, "table");
        String topic = catalog.topicOf(catalog.table(table));
        if (!body.path("partition").canConvertToInt() || body.path("partition").asInt() < 0) {
            throw new HybridlakeException.BadRequest("partition", "'partition' must be a partition number of " + topic);
        }
        int partition = body.path("partition").asInt();
        String to = text(body, "to");
        long offset = switch (to) {
            case "earliest" -> brokerOffset(topic, partition, OffsetSpec.earliest());
            case "latest" -> brokerOffset(topic, partition, OffsetSpec.latest());
            default -> {
                try {
                    long n = Long.parseLong(to);
                    if (n < 0) {
                        throw new NumberFormatException();
                    }
                    yield n;
                } catch (NumberFormatException e) {
                    throw new HybridlakeException.BadRequest("to", "'to' is earliest, latest or an offset, not '" + to + "'");
                }
            }
        };
        var result = streamPath.resetOffsets(table, partition, offset, body.path("reason").asText(null));
        consumers.recheck(table);
        JsonReply.send(ctx, json, result);
    }

    private long brokerOffset(String topic, int partition, OffsetSpec spec) {
        TopicPartition tp = new TopicPartition(topic, partition);
        try {
            return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new HybridlakeException.BadRequest(topic, "cannot read the broker's offsets of " + topic + "["
                    + partition + "]: " + e.getMessage());
        }
    }

    private JsonNode body(RoutingContext ctx) {
        try {
            JsonNode node = json.readTree(ctx.body().asString());
            if (node == null || !node.isObject()) {
                throw new HybridlakeException.BadRequest("body", "send a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new HybridlakeException.BadRequest("body", "the body is not JSON");
        }
    }

    private static String text(JsonNode body, String field) {
        if (!body.path(field).isTextual() && !body.path(field).isNumber()) {
            throw new HybridlakeException.BadRequest(field, "'" + field + "' is required");
        }
        return body.path(field).asText();
    }
}
