package io.hybridlake.ops;

import io.hybridlake.lake.Lake;
import io.hybridlake.runtime.HybridlakeConfig;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.stream.PipelineStates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of the broker, the lake and the speed cache; liveness of the process. */
@ApplicationScoped
public class ReadinessChecks {
    @Inject
    Admin admin;

    @Inject
    Lake lake;

    @Inject
    SpeedCache cache;

    @Inject
    PipelineStates pipelineStates;

    @Inject
    HybridlakeConfig config;

    @Produces
    @Readiness
    HealthCheck broker() {
        return () -> check("broker", () -> {
            int nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
            return (config.broker().embedded() ? "embedded, " : "") + nodes + " node(s)";
        });
    }

    @Produces
    @Readiness
    HealthCheck lake() {
        return () -> check("lake", () -> {
            lake.checkWritable();
            return lake.root();
        });
    }

    @Produces
    @Readiness
    HealthCheck cache() {
        return () -> check("speed-cache", () -> {
            cache.checkHealthy();
            return config.cache().path();
        });
    }

    /**
     * One entry per pipeline consumed here: ready once its consumer caught up to the broker's end offsets
     * seen when its partitions were assigned (within {@code hybridlake.stream.ready-lag}); DOWN with the
     * reason while it catches up, while its commits keep failing, or while a partition is held because
     * its source went backwards. The other pipelines' entries are unaffected.
     */
    @Produces
    @Readiness
    HealthCheck pipelines() {
        return () -> {
            var builder = HealthCheckResponse.named("pipelines").up();
            for (PipelineStates.State s : pipelineStates.all().values()) {
                String reason = s.reason();
                builder.withData(s.table(), reason == null ? "UP" : "DOWN: " + reason);
                if (reason != null) {
                    builder.down();
                }
            }
            return builder.build();
        };
    }

    @Produces
    @Liveness
    HealthCheck alive() {
        return () -> HealthCheckResponse.up("hybridlake");
    }

    @FunctionalInterface
    interface Probe {
        String run() throws Exception;
    }

    static HealthCheckResponse check(String name, Probe probe) {
        try {
            return HealthCheckResponse.named(name).up().withData("detail", probe.run()).build();
        } catch (Exception e) {
            return HealthCheckResponse.named(name).down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

}
