package io.hybridlake.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.stream.EventBatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Functions host's Event Hubs payload (the shape it posts to a custom handler, cardinality many)
 * decoded into the stream path's batch: sequence numbers become offsets, system properties become
 * the headers the pipelines read (partition key, enqueued time, IoT Hub device); a forged or broken
 * delivery is refused naming the hub, partition and event.
 */
class EventHubsInvocationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EventBatch decode(String events, String properties, String partition) throws Exception {
        Map<String, JsonNode> data = Map.of("events", JSON.readTree(events));
        Map<String, JsonNode> metadata = Map.of(
                "PartitionContext", JSON.readTree("{\"EventHubName\":\"hybridlake.transactions\",\"PartitionId\":"
                        + partition + "}"),
                "SystemPropertiesArray", JSON.readTree(properties));
        return EventHubsInvocations.decode(data, metadata, JSON);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void eventsBecomeRecordsWithTheirSequenceNumbersAndProperties() throws Exception {
        EventBatch batch = decode("[\"{\\\"id\\\":1}\", {\"id\":2}]",
                "[{\"SequenceNumber\":41,\"EnqueuedTimeUtc\":\"2026-12-06T10:00:00Z\",\"PartitionKey\":\"c1\"},"
                        + "{\"SequenceNumber\":42,\"EnqueuedTimeUtc\":\"2026-12-06T10:00:01Z\","
                        + "\"iothub-connection-device-id\":\"sensor-7\"}]", "\"3\"");
        assertThat(batch.topic()).isEqualTo("hybridlake.transactions");
        assertThat(batch.partition()).isEqualTo(3);
        assertThat(batch.records()).hasSize(2);
        assertThat(batch.records().get(0).offset()).isEqualTo(41);
        assertThat(batch.lastOffset()).isEqualTo(42);
        assertThat(batch.records().get(0).timestampMillis()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z").toEpochMilli());
        assertThat(text(batch.records().get(0).value())).isEqualTo("{\"id\":1}");
        assertThat(text(batch.records().get(1).value())).isEqualTo("{\"id\":2}");
        assertThat(text(batch.records().get(0).headers().get("x-opt-partition-key"))).isEqualTo("c1");
        assertThat(text(batch.records().get(1).headers().get("iothub-connection-device-id"))).isEqualTo("sensor-7");
        assertThat(text(batch.records().get(1).headers().get("x-opt-sequence-number"))).isEqualTo("42");
    }

    @Test
    void brokenOrForgedDeliveriesAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> decode("[\"a\", \"b\"]", "[{\"SequenceNumber\":1}]", "\"0\""))
                .isInstanceOf(HybridlakeException.BadRequest.class).hasMessageContaining("2 events but 1");
        assertThatThrownBy(() -> decode("[\"a\", \"b\"]", "[{\"SequenceNumber\":5}, {\"SequenceNumber\":5}]", "\"0\""))
                .isInstanceOf(HybridlakeException.BadRequest.class).hasMessageContaining("event 1")
                .hasMessageContaining("SequenceNumber 5");
        assertThatThrownBy(() -> decode("[\"a\"]", "[{\"SequenceNumber\":1}]", "\"zero\""))
                .isInstanceOf(HybridlakeException.BadRequest.class).hasMessageContaining("'zero'");
        assertThatThrownBy(() -> decode("[\"a\"]", "[{\"SequenceNumber\":1}]", "\"-1\""))
                .isInstanceOf(HybridlakeException.BadRequest.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> decode("[\"a\"]", "[{\"SequenceNumber\":1,\"EnqueuedTimeUtc\":\"yesterday\"}]", "\"0\""))
                .isInstanceOf(HybridlakeException.BadRequest.class).hasMessageContaining("yesterday");
        assertThatThrownBy(() -> decode("[\"a\"]", "[{}]", "\"0\"")).isInstanceOf(HybridlakeException.BadRequest.class)
                .hasMessageContaining("no SequenceNumber");
    }
}
