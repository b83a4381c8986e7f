package io.hybridlake.triggers;

import io.hybridlake.HybridlakeException;
import io.hybridlake.runtime.ApiKeys;
import io.hybridlake.runtime.HybridlakeConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Every HTTP request but health and the API documentation needs a function key, in the header
 * {@code x-functions-key} or the query parameter {@code code}, as Azure Functions takes them. Runs
 * before every other route; a missing or wrong key is a 401 problem document.
 */
@ApplicationScoped
public class ApiKeyFilter {
    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);

    @Inject
    HybridlakeConfig config;

    private volatile ApiKeys keys;
    private List<String> publicPaths;

    void register(@Observes Router router) {
        HybridlakeConfig.Api api = config.api();
        if (!api.auth()) {
            LOG.warn("HTTP API keys are off (hybridlake.api.auth=false): every endpoint is open");
            return;
        }
        publicPaths = api.publicPaths();
        if (api.keys().isPresent() && !api.keys().get().isEmpty()) {
            keys = ApiKeys.of(api.keys().get());
        } else {
            keys = ApiKeys.fromFile(Path.of(api.keyFile()));
            LOG.infof("HTTP API key: in %s (send it as header x-functions-key)", Path.of(api.keyFile()).toAbsolutePath());
        }
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check); // before every route but the failure handler
    }

    private void check(RoutingContext ctx) {
        if (authorize(ctx)) {
            ctx.next();
        }
    }

    /** Whether the request may proceed; if not, it has been failed with a 401 problem. */
    public boolean authorize(RoutingContext ctx) {
        if (keys == null) {
            return true; // keys are off
        }
        String path = ctx.normalizedPath();
        for (String open : publicPaths) {
            if (path.equals(open) || path.startsWith(open.endsWith("/") ? open : open + "/")) {
                return true;
            }
        }
        String key = ctx.request().getHeader("x-functions-key");
        if (key == null) {
            key = ctx.queryParams().get("code");
        }
        if (keys.accepts(key)) {
            return true;
        }
        ctx.fail(401, new HybridlakeException.Unauthorized(path, key == null
                ? "an API key is required: send it as header x-functions-key (or ?code=)"
                : "the API key is not valid"));
        return false;
    }
}
