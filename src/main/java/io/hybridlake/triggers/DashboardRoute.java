package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.ops.DashboardData;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** {@code GET /ops/dashboard}: the figures the operational dashboard ({@code /dashboard/}) plots. */
@ApplicationScoped
public class DashboardRoute {
    @Inject
    DashboardData dashboard;

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.get("/ops/dashboard").handler(ctx -> JsonReply.send(ctx, json, dashboard.snapshot()));
    }
}
