package io.hybridlake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.runtime.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A pipeline pointed at a topic that already exists, with data produced before the platform ever
 * started, under a Debezium-style name ({@code dbserver1.inventory.parcels}): the platform reads it
 * from the configured start (earliest), every record once. A pipeline whose topic the broker lacks
 * stops start-up naming the pipeline and the topic.
 */
class ExistingTopicIsReadFromTheStartIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void dataProducedBeforeTheFirstStartIsRead() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "existing-topic-it").toAbsolutePath();
        int brokerPort = PlatformProcess.freePort();
        try (EmbeddedKafka broker = EmbeddedKafka.start(home.resolve("kafka"), brokerPort, 2)) {
            List<String> base = List.of("-Dhybridlake.broker.embedded=false",
                    "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                    "-Dhybridlake.pipelines.dir=" + Path.of("src/test/resources/test-pipelines").toAbsolutePath());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(Stream.of("hybridlake.transactions", "hybridlake.user_events", "hybridlake.fuzz",
                        "hybridlake.ledger", "dbserver1.inventory.parcels").map(t -> new NewTopic(t, 2, (short) 1))
                        .toList()).all().get();
            }
            Path refused = Files.createDirectories(home.resolve("refused"));
            Process missing = PlatformProcess.launch(refused, PlatformProcess.freePort(), PlatformProcess.freePort(), base);
            assertThat(missing.waitFor(120, TimeUnit.SECONDS)).as("start-up stops").isTrue();
            assertThat(missing.exitValue()).as("start-up fails when a pipeline's topic is missing").isNotZero();
            assertThat(Files.readString(refused.resolve("platform.log")))
                    .contains("pipeline returns reads topic 'shop-returns_eu.v2', which the broker does not have");

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("shop-returns_eu.v2", 2, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 300; i++) {
                    producer.send(new ProducerRecord<>("dbserver1.inventory.parcels", ("{\"scan_id\":\"s" + i
                            + "\",\"depot\":\"d" + i % 4 + "\",\"scanned_at\":\"2026-11-24T10:00:00Z\"}")
                            .getBytes(StandardCharsets.UTF_8))).get();
                }
            }
            try (PlatformProcess platform = PlatformProcess.start(home, PlatformProcess.freePort(),
                    PlatformProcess.freePort(), base)) {
                Awaitility.await("the topic's earlier records are read").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(250)).until(() -> count(platform) >= 300);
                assertThat(count(platform)).isEqualTo(300);
                platform.stop();
            }
        }
    }

    private static long count(PlatformProcess p) throws Exception {
        var response = p.get("/tableInfo?table=parcels&zone=refined/stream");
        return response.statusCode() == 200 ? JSON.readTree(response.body()).get("rowCount").asLong() : 0;
    }
}
