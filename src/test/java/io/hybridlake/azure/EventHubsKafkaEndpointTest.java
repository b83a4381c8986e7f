package io.hybridlake.azure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue #6: the platform's own {@code eventhubs} profile (SASL_SSL, PLAIN, {@code $ConnectionString},
 * Event Hubs' client tuning) connects to a broker that listens like Event Hubs and processes a batch
 * end to end — published through the platform's producer, consumed by its stream consumer, committed to
 * the lake. A client with a wrong connection string is refused, so the listener really checks it.
 */
@QuarkusTest
@TestProfile(EventHubsLikeBroker.Profile.class)
class EventHubsKafkaEndpointTest {
    @Inject
    Lake lake;

    @ConfigProperty(name = "kafka.security.protocol")
    String protocol;

    @ConfigProperty(name = "kafka.max.request.size")
    int maxRequestSize;

    @Test
    void theEventHubsProfileConnectsAndProcessesABatch() throws Exception {
        assertThat(protocol).isEqualTo("SASL_SSL");
        assertThat(maxRequestSize).isEqualTo(1_000_000);
        String run = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder events = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            events.append(i == 0 ? "" : ",").append("{\"transaction_id\":\"").append(run).append('-').append(i)
                    .append("\",\"customer_id\":\"c1\",\"amount\":2.5,\"status\":\"completed\",\"transaction_date\":\"")
                    .append(Instant.now().minusSeconds(30)).append("\"}");
        }
        given().contentType("application/json").body(events.append(']').toString()).post("/tables/transactions/events")
                .then().statusCode(202);
        Awaitility.await("the batch refined").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Fixtures.rows(lake, TablePath.refinedStream("transactions")).stream()
                        .filter(r -> ((String) r[0]).startsWith(run)).count() == 30);

        Map<String, Object> wrong = new HashMap<>();
        wrong.put("bootstrap.servers", "127.0.0.1:" + EventHubsLikeBroker.saslPort);
        wrong.put("security.protocol", "SASL_SSL");
        wrong.put("sasl.mechanism", "PLAIN");
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"$ConnectionString\" password=\"Endpoint=sb://x/;SharedAccessKey=wrong\";");
        wrong.put("ssl.truststore.location", EventHubsLikeBroker.truststore.toString());
        wrong.put("ssl.truststore.password", EventHubsLikeBroker.PASSWORD);
        wrong.put("ssl.truststore.type", "PKCS12");
        wrong.put("max.block.ms", 15000);
        try (var producer = new KafkaProducer<>(wrong, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("hybridlake.transactions", "x")).get())
                    .isInstanceOfAny(ExecutionException.class, SaslAuthenticationException.class)
                    .satisfies(e -> assertThat(e.getCause() == null ? e : e.getCause())
                            .isInstanceOf(SaslAuthenticationException.class));
        }
    }
}
