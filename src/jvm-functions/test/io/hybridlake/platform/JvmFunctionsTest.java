package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.triggers.azure.JvmHttpFunctions;
import io.hybridlake.triggers.azure.JvmStreamFunctions;
import io.hybridlake.triggers.azure.JvmTimerFunctions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue #6, JVM functions: the Java worker's bindings as it passes them — Event Hubs events (strings)
 * with PartitionContext and SystemPropertiesArray, the timer's JSON, an HTTP request — go through
 * {@link JvmStreamFunctions}, {@link JvmTimerFunctions} and {@link JvmHttpFunctions} into the core; a re-delivered batch writes nothing twice. The Functions host
 * cannot run here, so the HTTP request/response objects are a test double ({@link HostRequest}).
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class JvmFunctionsTest {
    @Inject
    JvmStreamFunctions stream;

    @Inject
    JvmTimerFunctions timers;

    @Inject
    JvmHttpFunctions http;

    @Inject
    Lake lake;

    @Test
    @SuppressWarnings("unchecked")
    void workerBindingsReachTheCore() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.now().minusSeconds(60);
        List<String> events = List.of(
                "{\"event_id\":\"" + run + "-1\",\"event_type\":\"click\",\"user_id\":\"" + run + "\",\"event_timestamp\":\"" + t + "\"}",
                "{\"event_id\":\"" + run + "-2\",\"event_type\":\"click\",\"user_id\":\"" + run + "\",\"event_timestamp\":\"" + t + "\"}");
        // partition 7: one the local broker does not have, so the Kafka path never writes it in this shared app
        Map<String, Object> context = Map.of("EventHubName", "hybridlake.user_events", "PartitionId", "7",
                "ConsumerGroup", "hybridlake-stream", "FullyQualifiedNamespace", "hl.servicebus.windows.net");
        Map<String, Object>[] properties = new Map[] {
                Map.of("SequenceNumber", 7_000_001L, "Offset", "100", "EnqueuedTimeUtc", t.toString()),
                Map.of("SequenceNumber", 7_000_002L, "Offset", "200", "EnqueuedTimeUtc", t.toString())};
        stream.streamUserEvents(events, context, properties, null);
        stream.streamUserEvents(events, context, properties, null); // re-delivered
        assertThat(rows(lake, TablePath.refinedStream("user_events")).stream()
                .filter(r -> ((String) r[0]).startsWith(run)).count()).isEqualTo(2);

        timers.mergeTimer("{\"Schedule\":{},\"IsPastDue\":true}", null);
        awaitUntil("merged", () -> rows(lake, TablePath.merged("user_events")).stream()
                .filter(r -> ((String) r[0]).startsWith(run)).count() == 2);

        HttpResponseMessage sql = http.sql(new HostRequest(HttpMethod.POST, Map.of(),
                "SELECT count(*) FROM refined_stream_user_events WHERE user_id = '" + run + "'"));
        assertThat(sql.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(new ObjectMapper().readTree((String) sql.getBody()).at("/rows/0/0").asLong()).isEqualTo(2);
        HttpResponseMessage missing = http.query(new HostRequest(HttpMethod.GET, Map.of("table", "user_events"), null));
        assertThat(missing.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(missing.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }

    /** What the Java worker hands a function for an HTTP request (a test double: no Functions host runs here). */
    record HostRequest(HttpMethod method, Map<String, String> query, String body) implements HttpRequestMessage<Optional<String>> {
        @Override
        public URI getUri() {
            return URI.create("https://hl.azurewebsites.net/api/fn");
        }

        @Override
        public HttpMethod getHttpMethod() {
            return method;
        }

        @Override
        public Map<String, String> getHeaders() {
            return Map.of("content-type", "application/json");
        }

        @Override
        public Map<String, String> getQueryParameters() {
            return query;
        }

        @Override
        public Optional<String> getBody() {
            return Optional.ofNullable(body);
        }

        @Override
        public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
            return createResponseBuilder((HttpStatusType) status);
        }

        @Override
        public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
            Map<String, String> headers = new HashMap<>();
            Object[] body = new Object[1];
            return new HttpResponseMessage.Builder() {
                @Override
                public HttpResponseMessage.Builder status(HttpStatusType s) {
                    return this;
                }

                @Override
                public HttpResponseMessage.Builder header(String key, String value) {
                    headers.put(key, value);
                    return this;
                }

                @Override
                public HttpResponseMessage.Builder body(Object b) {
                    body[0] = b;
                    return this;
                }

                @Override
                public HttpResponseMessage build() {
                    return new HttpResponseMessage() {
                        @Override
                        public HttpStatusType getStatus() {
                            return status;
                        }

                        @Override
                        public String getHeader(String key) {
                            return headers.get(key);
                        }

                        @Override
                        public Object getBody() {
                            return body[0];
                        }
                    };
                }
            };
        }
    }
}
