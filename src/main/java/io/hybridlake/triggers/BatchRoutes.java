package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.batch.BatchIngestor;
import io.hybridlake.batch.FileFormat;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.runtime.StagingDirectory;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code POST /tables/{table}/files?name=<file name>}: a CSV or NDJSON file as the request body,
 * streamed to a staging file ({@link StagedUpload}), then imported through the batch path.
 * {@code GET /imports} shows every import's progress.
 */
@ApplicationScoped
public class BatchRoutes {
    @Inject
    BatchIngestor batchIngestor;

    @Inject
    PipelineCatalog catalog;

    @Inject
    StagingDirectory staging;

    @Inject
    ObjectMapper json;

    @Inject
    ApiKeyFilter apiKeys;

    void register(@Observes Router router) {
        // Ahead of the framework's body handler (it would buffer the whole file in memory first), so
        // the API key is checked here too (ApiKeyFilter's route may come after this one).
        router.post("/tables/:table/files").order(Integer.MIN_VALUE).handler(this::upload);
        router.get("/imports").handler(ctx -> JsonReply.send(ctx, json, batchIngestor.imports()));
    }

    private void upload(RoutingContext ctx) {
        if (!apiKeys.authorize(ctx)) {
            return;
        }
        String table = ctx.pathParam("table");
        String name = ctx.queryParams().get("name");
        try {
            if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")) {
                throw new HybridlakeException.BadRequest(table, "give the file's name as ?name=<file>.csv or .ndjson"
                        + " (a plain name, no path)");
            }
            catalog.table(table);
            FileFormat.of(name);
        } catch (RuntimeException e) {
            ctx.fail(e);
            return;
        }
        StagedUpload.receive(ctx, staging.path(), name, json, staged -> batchIngestor.importFile(table, name, staged));
    }
}
