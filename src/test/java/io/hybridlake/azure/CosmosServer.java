package io.hybridlake.azure;

import io.hybridlake.it.PlatformProcess;
import io.hybridlake.serving.cosmos.CosmosSpeedCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Cosmos DB SQL-API server for tests: npm {@code @vercel/cosmosdb-server} behind the fixes in
 * {@code emulators/cosmos-server.js} (query plans, cross-partition queries, 404s, Patch in bulk), over TLS with a certificate made here by openssl (the package's
 * own expired in 2021); the SDK's emulator switch skips validating it for 127.0.0.1. Shared per JVM.
 * What it cannot show: TTL expiry, 429 throttling, auth (any key is accepted), direct mode.
 */
public final class CosmosServer {
    /** The emulator's well-known key (any key is accepted). */
    static final String KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
    private static final Path SCRIPT = Path.of("emulators/cosmos-server.js");
    private static CosmosServer shared;
    private final int port;

    private CosmosServer(int port) {
        this.port = port;
    }

    public static boolean installed() {
        return Files.isDirectory(Path.of("emulators/node_modules/@vercel/cosmosdb-server"));
    }

    public static synchronized CosmosServer shared() throws Exception {
        if (shared == null) {
            System.setProperty("COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED", "true");
            Path dir = Files.createDirectories(Path.of("target/emulators").toAbsolutePath());
            Path key = dir.resolve("cosmos-key.pem");
            Path cert = dir.resolve("cosmos-cert.pem");
            if (!Files.exists(cert)) {
                Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("openssl.log").toFile()).start();
                if (openssl.waitFor() != 0) {
                    throw new IllegalStateException("openssl could not make the test certificate: see " + dir.resolve("openssl.log"));
                }
            }
            int port = PlatformProcess.freePort();
            Path log = dir.resolve("cosmos-" + port + ".log");
            EmulatorProcess.start("the Cosmos server", List.of("node", SCRIPT.toString(), String.valueOf(port),
                    key.toString(), cert.toString()), port, log);
            shared = new CosmosServer(port);
        }
        return shared;
    }

    public String endpoint() {
        return "https://127.0.0.1:" + port + "/";
    }

    /** A cache in a container of its own (created). */
    public CosmosSpeedCache cache(String container) {
        CosmosSpeedCache cache = new CosmosSpeedCache(new CosmosSpeedCache.Settings(endpoint(), Optional.of(KEY),
                "hybridlake", container, Duration.ofDays(7), Duration.ofHours(3), Duration.ofSeconds(30), true));
        cache.createIfAbsent();
        return cache;
    }
}
