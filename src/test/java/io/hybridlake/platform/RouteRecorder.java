package io.hybridlake.platform;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Keeps the platform's HTTP router so a test can list every route it serves. */
@ApplicationScoped
public class RouteRecorder {
    static volatile Router router;

    void capture(@Observes Router r) {
        router = r;
    }
}
