package io.hybridlake.triggers;

import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A route's request-body limit. Vert.x's {@link BodyHandler} limit alone does not hold here: the HTTP
 * layer has usually read the body already (under quarkus.http.limits.max-body-size), and a route's own
 * BodyHandler then passes it on unchecked — /sql took a 2 MiB body and operator routes a 70 KB one
 * (measured). So the limit is checked again on the body as read: 413, with the limits in the problem
 * document ({@link ProblemDetails}).
 */
final class BodyLimit {
    private BodyLimit() {
    }

    /**
     * Reads the body if nothing has yet (refusing more than {@code bytes}), then refuses it if longer;
     * returns the route for its own handler.
     */
    static Route on(Route route, int bytes) {
        return route.handler(BodyHandler.create().setBodyLimit(bytes)).handler(check(bytes));
    }

    private static Handler<RoutingContext> check(int bytes) {
        return ctx -> {
            if (ctx.body() != null && ctx.body().length() > bytes) {
                ctx.fail(413);
            } else {
                ctx.next();
            }
        };
    }
}
