package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.LakeException;
import io.hybridlake.pipeline.PipelineSpecException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** Renders every failed request as RFC 9457 problem details JSON naming what it was about. */
@ApplicationScoped
public class ProblemDetails {
    private static final Logger LOG = Logger.getLogger(ProblemDetails.class);

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::render);
    }

    private void render(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        Map<String, Object> problem;
        if (failure == null) {
            problem = plain(ctx.statusCode() > 0 ? ctx.statusCode() : 500, ctx.request().path());
        } else {
            problem = problem(failure, ctx.request().path());
        }
        int status = (Integer) problem.get("status");
        if (status >= 500 && find(failure) == null && failure != null) {
            LOG.errorf(failure, "request %s %s failed", ctx.request().method(), ctx.request().path());
        }
        if (status == 401) {
            ctx.response().putHeader("www-authenticate", "ApiKey header=\"x-functions-key\"");
        }
        if (find(failure) instanceof HybridlakeException.TooBusy busy) {
            ctx.response().putHeader("retry-after", Integer.toString(busy.retryAfterSeconds()));
        }
        try {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
                    .end(json.writeValueAsString(problem));
        } catch (Exception e) {
            ctx.response().setStatusCode(status).end();
        }
    }

    /** The RFC 9457 problem document of a failure (an HTTP route's or a custom-handler function's). */
    static Map<String, Object> problem(Throwable failure, String instance) {
        HybridlakeException known = find(failure);
        if (known == null) {
            Map<String, Object> problem = plain(500, instance);
            problem.put("detail", failure.getClass().getSimpleName() + ": " + failure.getMessage());
            return problem;
        }
        int status = status(known);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:hybridlake:problem:" + known.kind());
        problem.put("title", title(status));
        problem.put("status", status);
        problem.put("detail", known.getMessage());
        problem.put("subject", known.subject());
        problem.put("instance", instance);
        return problem;
    }

    /** A problem without an exception: a status the router set (404 no route, 400 unreadable request). */
    private static Map<String, Object> plain(int status, String instance) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title(status));
        problem.put("status", status);
        if (status == 404) {
            problem.put("detail", "no function or route at " + instance);
        } else if (status == 413) {
            problem.put("detail", "the request body is larger than this endpoint takes: /sql 1 MiB, operator routes "
                    + "64 KiB, other JSON functions 64 MiB (quarkus.http.limits.max-body-size); send large data to "
                    + "/tables/{table}/events or /tables/{table}/files, which stream any size");
        } else if (status == 400) {
            problem.put("detail", "the request could not be read: check the JSON body and parameter types");
        }
        problem.put("instance", instance);
        return problem;
    }

    private static HybridlakeException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HybridlakeException h) {
                return h;
            }
        }
        return null;
    }

    private static int status(HybridlakeException e) {
        if (e instanceof HybridlakeException.NotFound) {
            return 404;
        }
        if (e instanceof HybridlakeException.Unauthorized) {
            return 401;
        }
        if (e instanceof HybridlakeException.Forbidden) {
            return 403;
        }
        if (e instanceof HybridlakeException.TooLarge) {
            return 413;
        }
        if (e instanceof HybridlakeException.TooBusy) {
            return 429;
        }
        if (e instanceof HybridlakeException.TimedOut) {
            return 504;
        }
        if (e instanceof HybridlakeException.BadRequest || e instanceof PipelineSpecException) {
            return 400;
        }
        return e instanceof LakeException ? 503 : 500;
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            case 504 -> "Gateway Timeout";
            case 404 -> "Not Found";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
