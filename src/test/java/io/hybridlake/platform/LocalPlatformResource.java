package io.hybridlake.platform;

import io.hybridlake.it.PlatformProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Gives the platform under test a fresh lake, cache and broker data directory and a free broker
 * port. The platform starts its own embedded Kafka broker, exactly as it does for a user.
 */
public class LocalPlatformResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Path run = Path.of("target", "test-runs", UUID.randomUUID().toString()).toAbsolutePath();
        return Map.of(
                "hybridlake.lake.root", run.resolve("lake").toString(),
                "hybridlake.cache.path", run.resolve("speed-cache.mv").toString(),
                "hybridlake.broker.data-dir", run.resolve("kafka").toString(),
                "hybridlake.broker.port", String.valueOf(PlatformProcess.freePort()));
    }


    @Override
    public void stop() {
    }
}
