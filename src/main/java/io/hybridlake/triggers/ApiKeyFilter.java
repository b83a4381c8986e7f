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
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Every HTTP request but health and the API documentation needs a key in the header
 * {@code x-functions-key}, and the key's role must allow the endpoint ({@link EndpointRoles}): a
 * missing or wrong key is a 401, a key of the wrong role a 403, both as problem documents. Runs before
 * every other route; the roles granted are left in the context for handlers that decide per request.
 */
@ApplicationScoped
public class ApiKeyFilter {
    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    /** Context key of the {@code Set<Role>} the request's key grants. */
    public static final String GRANTED = "hybridlake.roles";

    @Inject
    HybridlakeConfig config;

    private final Map<Role, ApiKeys> keys = new EnumMap<>(Role.class);
    private volatile boolean on;
    private List<String> publicPaths;
    private boolean keyInQuery;

    void register(@Observes Router router) {
        HybridlakeConfig.Api api = config.api();
        if (!api.auth()) {
            LOG.warn("HTTP API keys are off (hybridlake.api.auth=false): every endpoint is open");
            return;
        }
        publicPaths = api.publicPaths();
        keyInQuery = api.allowKeyInQuery();
        Map<Role, Optional<List<String>>> configured = Map.of(Role.ADMIN, api.adminKeys(), Role.READ, api.readKeys(),
                Role.INGEST, api.ingestKeys());
        if (configured.values().stream().allMatch(k -> k.isEmpty() || k.get().isEmpty())) {
            Path dir = Path.of(api.keyDir());
            for (Role role : Role.values()) {
                keys.put(role, ApiKeys.fromFile(dir.resolve(role.label() + ".key")));
            }
            LOG.infof("HTTP API keys: one per role (admin, read, ingest) in %s/*.key; send one as header "
                    + "x-functions-key", dir.toAbsolutePath());
        } else {
            configured.forEach((role, list) -> list.filter(l -> !l.isEmpty()).ifPresent(l -> keys.put(role, ApiKeys.of(l))));
        }
        on = true;
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check); // before every route but the failure handler
    }

    private void check(RoutingContext ctx) {
        if (authorize(ctx)) {
            ctx.next();
        }
    }

    /** Whether the request may proceed; if not, it has been failed with a 401 or 403 problem. */
    public boolean authorize(RoutingContext ctx) {
        if (!on) {
            ctx.put(GRANTED, EnumSet.allOf(Role.class));
            return true;
        }
        String path = ctx.normalizedPath();
        for (String open : publicPaths) {
            if (path.equals(open) || path.startsWith(open.endsWith("/") ? open : open + "/")) {
                return true;
            }
        }
        String key = ctx.request().getHeader("x-functions-key");
        if (key == null && ctx.queryParams().contains("code")) {
            if (!keyInQuery) {
                ctx.fail(401, new HybridlakeException.Unauthorized(path, "API keys are not accepted in the URL (?code=): "
                        + "URLs end up in access logs, proxies and browser history; send the key as header "
                        + "x-functions-key"));
                return false;
            }
            LOG.warnf("an API key arrived in the URL of %s (hybridlake.api.allow-key-in-query=true); send it as header "
                    + "x-functions-key instead", path);
            key = ctx.queryParams().get("code");
        }
        Set<Role> granted = granted(key);
        if (granted.isEmpty()) {
            ctx.fail(401, new HybridlakeException.Unauthorized(path, key == null
                    ? "an API key is required: send it as header x-functions-key"
                    : "the API key is not valid"));
            return false;
        }
        Role needed = EndpointRoles.required(path);
        if (!granted.contains(needed)) {
            ctx.fail(403, new HybridlakeException.Forbidden(path, path + " needs a key of role '" + needed.label()
                    + "'; this key has role(s) " + granted.stream().map(Role::label).toList()));
            return false;
        }
        ctx.put(GRANTED, granted);
        return true;
    }

    /** Every role whose keys include {@code key} (checked against all, in constant time per key set). */
    private Set<Role> granted(String key) {
        Set<Role> granted = EnumSet.noneOf(Role.class);
        keys.forEach((role, accepted) -> {
            if (accepted.accepts(key)) {
                granted.addAll(role.grants());
            }
        });
        return granted;
    }

    /** Fails the request with a 403 unless its key grants {@code role} (for endpoints that decide per request). */
    public static boolean require(RoutingContext ctx, Role role, String what) {
        Set<Role> granted = ctx.get(GRANTED);
        if (granted == null || granted.contains(role)) {
            return true;
        }
        ctx.fail(403, new HybridlakeException.Forbidden(ctx.normalizedPath(), what + " needs a key of role '"
                + role.label() + "'"));
        return false;
    }
}
