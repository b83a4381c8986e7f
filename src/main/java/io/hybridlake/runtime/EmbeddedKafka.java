package io.hybridlake.runtime;

import io.hybridlake.HybridlakeException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

/**
 * A real single-node Apache Kafka broker (KRaft: broker and controller in one) inside this JVM.
 * Its log directory is kept across restarts, so offsets keep increasing and the lake's transaction
 * ids (which are offsets) stay meaningful.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final String bootstrap;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
    }

    public static EmbeddedKafka start(Path dataDir, int port, int defaultPartitions) {
        return start(dataDir, port, defaultPartitions, Map.of(), Map.of());
    }

    /**
     * As above, with more listeners ({@code name -> "<protocol>://host:port"}, e.g. a SASL_SSL one that
     * accepts what Event Hubs clients send) and broker settings for them.
     */
    public static EmbeddedKafka start(Path dataDir, int port, int defaultPartitions, Map<String, String> extraListeners,
            Map<String, String> extraSettings) {
        try {
            Files.createDirectories(dataDir);
            int controllerPort = freePort();
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + port);
            StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            extraListeners.forEach((name, address) -> {
                listeners.append(',').append(name).append(address.substring(address.indexOf("://")));
                protocols.append(',').append(name).append(':').append(address, 0, address.indexOf("://"));
            });
            p.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", listeners.toString());
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", protocols.toString());
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", dataDir.toAbsolutePath().toString());
            p.put("num.partitions", String.valueOf(defaultPartitions));
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "4");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "true");
            p.put("log.retention.hours", "168");
            p.put("message.max.bytes", "8388608");
            // the log cleaner's de-duplication map sits on the platform's heap (128 MiB by default, an eighth
            // of the default heap); only the broker's own compacted topics are cleaned here
            p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 << 20));
            p.putAll(extraSettings);
            KafkaConfig config = KafkaConfig.fromProps(p, false);
            format(dataDir);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + port;
            LOG.infof("embedded Kafka broker listening on %s, data in %s", bootstrap, dataDir.toAbsolutePath());
            return new EmbeddedKafka(server, bootstrap);
        } catch (Exception e) {
            throw new HybridlakeException("hybridlake.broker", "cannot start the embedded Kafka broker on port " + port
                    + " with data in " + dataDir + ": " + e.getMessage()
                    + " (is the port in use? set hybridlake.broker.port)", e);
        }
    }

    /** Formats the log directory on first start; a formatted directory is left as it is. */
    private static void format(Path dataDir) throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dataDir.toAbsolutePath().toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
                .setIgnoreFormatted(true)
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .run();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
