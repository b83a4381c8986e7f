package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.SourceRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The Functions host's Event Hubs trigger payload (cardinality many) as the stream path's batch. */
final class EventHubsInvocations {
    private EventHubsInvocations() {
    }

    /**
     * The batch of an Event Hubs invocation ({@code Data.events}, {@code Metadata.PartitionContext},
     * {@code Metadata.SystemPropertiesArray}): sequence numbers as offsets, Event Hubs and IoT Hub
     * properties as headers. Anything inconsistent is refused naming the hub, partition and event.
     */
    static EventBatch decode(Map<String, JsonNode> data, Map<String, JsonNode> metadata, ObjectMapper json) {
        JsonNode events = data.get("events");
        JsonNode context = metadata.getOrDefault("PartitionContext", json.createObjectNode());
        JsonNode properties = metadata.getOrDefault("SystemPropertiesArray", json.createArrayNode());
        String hub = context.path("EventHubName").asText(null);
        String partition = context.path("PartitionId").asText(null);
        if (events == null || !events.isArray() || hub == null || partition == null) {
            throw new HybridlakeException.BadRequest("StreamEvents", "an Event Hubs invocation needs Data.events (an "
                    + "array) and Metadata.PartitionContext.EventHubName/PartitionId");
        }
        if (properties.size() != events.size()) {
            throw new HybridlakeException.BadRequest(hub, "Event Hubs invocation for " + hub + "[" + partition + "] has "
                    + events.size() + " events but " + properties.size() + " system property sets");
        }
        int partitionId;
        try {
            partitionId = Integer.parseInt(partition);
        } catch (NumberFormatException e) {
            throw new HybridlakeException.BadRequest("Metadata.PartitionContext.PartitionId", "PartitionId of " + hub
                    + " must be a partition number, not '" + partition + "'");
        }
        if (partitionId < 0) {
            throw new HybridlakeException.BadRequest("Metadata.PartitionContext.PartitionId", "PartitionId of " + hub
                    + " must not be negative");
        }
        List<SourceRecord> records = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            JsonNode p = properties.get(i);
            if (!p.path("SequenceNumber").canConvertToLong()) {
                throw new HybridlakeException.BadRequest(hub, "event " + i + " of " + hub + "[" + partition
                        + "] has no SequenceNumber");
            }
            Map<String, byte[]> headers = new HashMap<>();
            header(headers, "x-opt-partition-key", p.path("PartitionKey"));
            header(headers, "x-opt-enqueued-time", p.path("EnqueuedTimeUtc"));
            header(headers, "x-opt-sequence-number", p.path("SequenceNumber"));
            header(headers, "iothub-connection-device-id", p.path("iothub-connection-device-id"));
            JsonNode e = events.get(i);
            byte[] value = e.isTextual() ? e.asText().getBytes(StandardCharsets.UTF_8) : bytes(json, e);
            long enqueued;
            try {
                enqueued = p.path("EnqueuedTimeUtc").isTextual() ? Instant.parse(
                        p.path("EnqueuedTimeUtc").asText()).toEpochMilli() : System.currentTimeMillis();
            } catch (DateTimeParseException bad) {
                throw new HybridlakeException.BadRequest("Metadata.SystemPropertiesArray[" + i + "].EnqueuedTimeUtc",
                        "event " + i + " of " + hub + "[" + partition + "] has EnqueuedTimeUtc '"
                        + p.path("EnqueuedTimeUtc").asText() + "', not an ISO-8601 instant");
            }
            long sequence = p.path("SequenceNumber").asLong();
            if (sequence < 0 || (!records.isEmpty() && sequence <= records.get(records.size() - 1).offset())) {
                throw new HybridlakeException.BadRequest("Metadata.SystemPropertiesArray[" + i + "].SequenceNumber",
                        "event " + i + " of " + hub + "[" + partition + "] has SequenceNumber " + sequence
                        + ": sequence numbers are non-negative and increase within a delivery");
            }
            records.add(new SourceRecord(sequence, enqueued, null, value, headers));
        }
        return new EventBatch(hub, partitionId, records);
    }

    private static void header(Map<String, byte[]> headers, String name, JsonNode value) {
        if (value != null && !value.isMissingNode() && !value.isNull()) {
            headers.put(name, value.asText().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] bytes(ObjectMapper json, JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new HybridlakeException.BadRequest("StreamEvents", "an event cannot be serialized: " + e.getMessage());
        }
    }
}
