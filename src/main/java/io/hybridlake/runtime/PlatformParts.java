package io.hybridlake.runtime;

import io.hybridlake.HybridlakeException;
import io.hybridlake.batch.JdbcSources;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.cosmos.CosmosSpeedCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The platform's parts that configuration alone decides: the pipelines, the speed cache, JDBC sources, Kafka clients. */
final class PlatformParts {
    private PlatformParts() {
    }

    /** Cosmos DB when an endpoint is configured (Azure), else the embedded durable store. */
    static SpeedCache openCache(CacheConfig config) {
        CacheConfig.Cosmos c = config.cosmos();
        if (c.endpoint().isEmpty()) {
            return new MvStoreSpeedCache(Path.of(config.path()));
        }
        CosmosSpeedCache cosmos = new CosmosSpeedCache(new CosmosSpeedCache.Settings(c.endpoint().get(), c.key(),
                c.database(), c.container(), c.windowTtl(), c.claimTtl(), c.maxThrottleWait(), c.gatewayMode()));
        if (c.create()) {
            cosmos.createIfAbsent();
        }
        return cosmos;
    }

    static JdbcSources jdbcSources(HybridlakeConfig.Jdbc config) {
        Map<String, JdbcSources.Source> sources = new HashMap<>();
        config.sources().forEach((name, s) -> sources.put(name, new JdbcSources.Source(name, s.url(), s.user(),
                s.password())));
        return new JdbcSources(sources);
    }

    /**
     * The {@code kafka.*} settings a client of one kind takes ({@code names}: AdminClientConfig's or
     * ConsumerConfig's), plus security ({@code sasl.*}, {@code ssl.*}).
     */
    static Map<String, Object> clientConfig(Map<String, Object> kafka, Set<String> names) {
        Map<String, Object> c = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (names.contains(k) || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                c.put(k, v);
            }
        });
        return c;
    }

    static List<PipelineSpec> loadPipelines(HybridlakeConfig.Pipelines config) {
        List<PipelineSpec> specs = new ArrayList<>();
        for (String name : config.builtin()) {
            String resource = "pipelines/" + name.strip() + ".yaml";
            InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new HybridlakeException("hybridlake.pipelines.builtin", "no built-in pipeline '" + name
                        + "' (classpath " + resource + ")");
            }
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                specs.add(PipelineLoader.load(resource, r));
            } catch (IOException e) {
                throw new HybridlakeException(resource, "cannot read " + resource, e);
            }
        }
        if (config.dir().isPresent()) {
            Path dir = Path.of(config.dir().get());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                    try (Reader r = Files.newBufferedReader(f)) {
                        specs.add(PipelineLoader.load(f.toString(), r));
                    }
                }
            } catch (IOException e) {
                throw new HybridlakeException("hybridlake.pipelines.dir", "cannot read pipelines from " + dir + ": "
                        + e.getMessage(), e);
            }
        }
        return specs;
    }
}
