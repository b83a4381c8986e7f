package io.hybridlake.azure;

import io.hybridlake.it.PlatformProcess;
import io.hybridlake.runtime.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Kafka broker listening like Event Hubs' Kafka endpoint: SASL_SSL with PLAIN, user
 * {@code $ConnectionString} and a namespace connection string as password, TLS with a certificate
 * made here by keytool. The platform runs with its own {@code eventhubs} profile against it; the test
 * only adds trust in the test certificate (Event Hubs' is publicly trusted).
 */
public class EventHubsLikeBroker implements QuarkusTestResourceLifecycleManager {
    static final String PASSWORD = "changeit";
    static String connectionString;
    static int saslPort;
    static Path truststore;
    private EmbeddedKafka broker;

    /** Runs the platform with profiles test + eventhubs, against this broker. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,eventhubs";
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EventHubsLikeBroker.class));
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            Path run = Files.createDirectories(Path.of("target", "test-runs", UUID.randomUUID().toString()).toAbsolutePath());
            Path keystore = run.resolve("broker.p12");
            truststore = run.resolve("trust.p12");
            Path cert = run.resolve("broker.crt");
            keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                    "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                    "-keystore", truststore.toString(), "-storepass", PASSWORD);
            connectionString = "Endpoint=sb://hybridlake-test.servicebus.windows.net/;SharedAccessKeyName="
                    + "RootManageSharedAccessKey;SharedAccessKey=" + UUID.randomUUID();
            int plainPort = PlatformProcess.freePort();
            saslPort = PlatformProcess.freePort();
            Map<String, String> settings = new HashMap<>();
            settings.put("sasl.enabled.mechanisms", "PLAIN");
            settings.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "PLAIN");
            settings.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_$ConnectionString=\""
                            + connectionString + "\";");
            settings.put("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString());
            settings.put("listener.name.sasl_ssl.ssl.keystore.password", PASSWORD);
            settings.put("listener.name.sasl_ssl.ssl.key.password", PASSWORD);
            settings.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
            broker = EmbeddedKafka.start(run.resolve("kafka"), plainPort, 2,
                    Map.of("SASL_SSL", "SASL_SSL://127.0.0.1:" + saslPort), settings);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                // Event Hubs topics are made by the deployment (Bicep), never by clients
                // (every pipeline's hub: the platform refuses to start when a pipeline's topic is missing)
                admin.createTopics(Stream.of("hybridlake.transactions", "hybridlake.user_events",
                        "hybridlake.fuzz", "hybridlake.ledger", "dbserver1.inventory.parcels", "shop-returns_eu.v2")
                        .map(t -> new NewTopic(t, 2, (short) 1)).toList()).all().get();
            }
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", "127.0.0.1:" + saslPort);
            config.put("hybridlake.eventhubs.namespace", "hybridlake-test");
            config.put("hybridlake.eventhubs.connection-string", connectionString);
            config.put("kafka.ssl.truststore.location", truststore.toString());
            config.put("kafka.ssl.truststore.password", PASSWORD);
            config.put("kafka.ssl.truststore.type", "PKCS12");
            config.put("hybridlake.lake.root", run.resolve("lake").toString());
            config.put("hybridlake.cache.path", run.resolve("speed-cache.mv").toString());
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Event Hubs-like broker: " + e.getMessage(), e);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
