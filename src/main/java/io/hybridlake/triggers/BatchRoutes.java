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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code POST /tables/{table}/files?name=<file name>}: a CSV or NDJSON file as the request body,
 * streamed to a staging file (never held in memory, so files larger than memory import), then
 * imported through the batch path. {@code GET /imports} shows every import's progress.
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
            Files.createDirectories(staging.path());
        } catch (Exception e) {
            ctx.fail(e);
            return;
        }
        Path staged = staging.path().resolve("upload-" + UUID.randomUUID() + ".part");
        OutputStream out;
        try {
            out = Files.newOutputStream(staged);
        } catch (IOException e) {
            ctx.fail(e);
            return;
        }
        // Handlers are set before this handler returns, so no chunk of the body can pass unseen; each
        // chunk goes straight to the staging file (a local append: the event loop is not held up).
        IOException[] writeFailed = new IOException[1];
        ctx.request().handler(chunk -> {
            try {
                if (writeFailed[0] == null) {
                    out.write(chunk.getBytes());
                }
            } catch (IOException e) {
                writeFailed[0] = e; // reported when the body ends
            }
        });
        ctx.request().exceptionHandler(e -> {
            close(out);
            staged.toFile().delete();
        });
        ctx.request().endHandler(end -> {
            close(out);
            if (writeFailed[0] != null) {
                staged.toFile().delete();
                ctx.fail(new HybridlakeException(name, "cannot stage upload " + name + " in " + staged.getParent()
                        + ": " + writeFailed[0].getMessage(), writeFailed[0]));
                return;
            }
            ctx.vertx().<String>executeBlocking(() -> {
                try {
                    return JsonReply.body(json, batchIngestor.importFile(table, name, staged));
                } finally {
                    Files.deleteIfExists(staged);
                }
            }, false).onSuccess(body -> ctx.response().putHeader("content-type", "application/json").end(body))
                    .onFailure(ctx::fail);
        });
        ctx.request().resume();
    }

    private static void close(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // the import that follows reads what was written, or fails naming the file
        }
    }
}
