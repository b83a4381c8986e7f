package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A request body streamed chunk by chunk to a staging file (never held in memory, so a file larger
 * than memory uploads), then handed to a blocking import; the staging file is deleted whatever happens.
 */
final class StagedUpload {
    /** What runs on the staged file once the body has ended (off the event loop); its answer is sent as JSON. */
    interface Import {
        Object run(Path staged) throws Exception;
    }

    private StagedUpload() {
    }

    /** Streams the body of {@code ctx} (still paused) into {@code directory}, then answers what {@code work} returns. */
    static void receive(RoutingContext ctx, Path directory, String name, ObjectMapper json, Import work) {
        Path staged = directory.resolve("upload-" + UUID.randomUUID() + ".part");
        OutputStream out;
        try {
            Files.createDirectories(directory);
            out = Files.newOutputStream(staged);
        } catch (IOException e) {
            ctx.fail(e);
            return;
        }
        // Handlers are set before this returns, so no chunk of the body can pass unseen; each chunk goes
        // straight to the staging file (a local append: the event loop is not held up).
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
                ctx.fail(new HybridlakeException(name, "cannot stage upload " + name + " in " + directory + ": "
                        + writeFailed[0].getMessage(), writeFailed[0]));
                return;
            }
            ctx.vertx().<String>executeBlocking(() -> {
                try {
                    return JsonReply.body(json, work.run(staged));
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
