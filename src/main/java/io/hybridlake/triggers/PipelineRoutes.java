package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.runtime.PipelineTopics;
import io.hybridlake.stream.PipelineStates;
import io.hybridlake.stream.StreamPath;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The pipelines' stream consumers for operators: {@code GET /pipelines} (each one's state and why it is
 * not ready), {@code POST /pausePipeline {"table", "reason"}} (stop consuming on this instance; events wait in
 * the broker), {@code POST /resumePipeline {"table"}} (consume again; retry a pipeline paused after failures now) and
 * {@code POST /resetOffsets {"table", "partition", "to": "earliest"|"latest"|<offset>, "reason"}} (resume a
 * partition whose source went backwards, recorded in raw/stream's commit history).
 */
@ApplicationScoped
public class PipelineRoutes {
    private static final int MAX_BODY_BYTES = 64 << 10;

    @Inject
    PipelineStates states;

    @Inject
    PipelineCatalog catalog;

    @Inject
    StreamPath streamPath;

    @Inject
    PipelineTopics topics;

    @Inject
    StreamConsumers consumers;

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.get("/pipelines").handler(ctx -> JsonReply.send(ctx, json, states.all()));
        BodyLimit.on(router.post("/pausePipeline"), MAX_BODY_BYTES).blockingHandler(this::pause);
        BodyLimit.on(router.post("/resumePipeline"), MAX_BODY_BYTES).blockingHandler(this::resume);
        BodyLimit.on(router.post("/resetOffsets"), MAX_BODY_BYTES).blockingHandler(this::reset);
    }

    private void pause(RoutingContext ctx) {
        JsonNode body = HttpInputs.object(json, ctx.body().asString(), "body");
        String table = catalog.table(HttpInputs.required(body, "table")).table();
        if (!consumers.consumes(table)) { // a pause nothing honours would be reported as if it held
            throw new HybridlakeException.BadRequest(table, "this instance runs no stream consumer for pipeline " + table
                    + " (hybridlake.stream.consume=false, as where the Functions host's Event Hubs trigger delivers its "
                    + "events): there is nothing here to pause");
        }
        states.pause(table, body.path("reason").asText(""));
        JsonReply.send(ctx, json, states.of(table));
    }

    private void resume(RoutingContext ctx) {
        String table = catalog.table(HttpInputs.required(HttpInputs.object(json, ctx.body().asString(), "body"),
                "table")).table();
        states.resume(table);
        consumers.recheck(table);
        JsonReply.send(ctx, json, states.of(table));
    }

    private void reset(RoutingContext ctx) {
        JsonNode body = HttpInputs.object(json, ctx.body().asString(), "body");
        String table = HttpInputs.required(body, "table");
        String topic = catalog.topicOf(catalog.table(table));
        int partition = body.path("partition").canConvertToInt() ? body.path("partition").asInt() : -1;
        if (partition < 0) {
            throw new HybridlakeException.BadRequest("partition", "'partition' must be a partition number of " + topic);
        }
        long offset = topics.offset(topic, partition, HttpInputs.required(body, "to"));
        var result = streamPath.resetOffsets(table, partition, offset, body.path("reason").asText(null));
        consumers.recheck(table);
        JsonReply.send(ctx, json, result);
    }
}
