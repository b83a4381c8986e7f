package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.stream.EventBodies;
import io.hybridlake.stream.Ingestor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code POST /tables/{table}/events}: a JSON array or NDJSON (one event per line) body, published
 * to the table's topic ({@link EventBodies}: a malformed NDJSON line is published as received and
 * rejected by the stream path into {@code _rejected/<table>} with the reason, so nothing is lost).
 */
@ApplicationScoped
public class IngestRoute {
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    @Inject
    Ingestor ingestor;

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        BodyLimit.on(router.post("/tables/:table/events"), MAX_BODY_BYTES).blockingHandler(this::handle, false);
    }

    private void handle(RoutingContext ctx) {
        String table = ctx.pathParam("table");
        byte[] body = ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
        Ingestor.Receipt receipt = ingestor.ingest(table, EventBodies.split(body, table));
        ctx.response().setStatusCode(202);
        JsonReply.send(ctx, json, receipt);
    }
}
