package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.WindowState;
import io.hybridlake.stream.BatchOutcome;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamPath;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Re-delivery, as Event Hubs does after a crash: the records the platform already processed are read
 * back from the broker and handed to the stream path again, whole and as an overlapping batch. Tables
 * and window aggregates stay exactly as they were.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class ReplayedBatchChangesNothingTest {
    @Inject
    StreamPath streamPath;

    @Inject
    Lake lake;

    @Inject
    SpeedCache cache;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void reconsumedRecordsAreSkippedByTheTablesTransactionIdsAndTheCachesHighWaterMarks() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String events = IntStream.range(0, 200).mapToObj(i -> "{\"event_id\":\"" + run + "-" + i
                + "\",\"event_type\":\"click\",\"user_id\":\"" + run + "-u" + (i % 4) + "\",\"amount\":" + i
                + ",\"event_timestamp\":\"" + java.time.Instant.now().minusSeconds(60L * (i % 10)) + "\"}").collect(Collectors.joining(",", "[", "]"));
        PlatformClient.ingest("user_events", events);
        awaitUntil("200 events refined", () -> refinedCount(run) == 200);

        Map<String, Long> versionsBefore = versions();
        Map<String, Long> windowsBefore = windowCounts(run);
        assertThat(windowsBefore.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(200);

        for (EventBatch batch : readBack("hybridlake.user_events")) {
            BatchOutcome whole = streamPath.process(batch);
            assertThat(whole.replaySkipped()).isTrue();
            // an overlapping re-delivery that starts mid-batch also changes nothing
            List<SourceRecord> tail = batch.records().subList(batch.records().size() / 2, batch.records().size());
            streamPath.process(new EventBatch(batch.topic(), batch.partition(), tail));
        }

        assertThat(versions()).isEqualTo(versionsBefore);
        assertThat(windowCounts(run)).isEqualTo(windowsBefore);
        assertThat(refinedCount(run)).isEqualTo(200);
    }

    private long refinedCount(String run) {
        return rows(lake, TablePath.refinedStream("user_events")).stream()
                .filter(r -> ((String) r[0]).startsWith(run)).count();
    }

    private Map<String, Long> versions() {
        Map<String, Long> v = new HashMap<>();
        for (TablePath t : List.of(TablePath.rawStream("user_events"), TablePath.refinedStream("user_events"))) {
            v.put(t.relative(), new TableReader(lake.table(t)).info(OptionalLong.empty()).version());
        }
        return v;
    }

    private Map<String, Long> windowCounts(String run) {
        Map<String, Long> counts = new HashMap<>();
        for (int u = 0; u < 4; u++) {
            for (WindowState w : cache.windowsOf("user_events", "user_5m", run + "-u" + u, 1000)) {
                counts.put(w.id().asString(), w.count());
            }
        }
        return counts;
    }

    /** Every record of the topic, straight from the broker, one batch per partition. */
    private List<EventBatch> readBack(String topic) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, List<SourceRecord>> records = new HashMap<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                            .add(new SourceRecord(r.offset(), r.timestamp(), r.key(), r.value(), Map.of()));
                }
            }
            return records.entrySet().stream()
                    .map(e -> new EventBatch(e.getKey().topic(), e.getKey().partition(), e.getValue())).toList();
        }
    }
}
