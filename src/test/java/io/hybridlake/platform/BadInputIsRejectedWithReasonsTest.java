package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamPath;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Malformed JSON, wrong types, missing required fields, values outside the rules, and a topic
 * without a pipeline: each lands in a dead-letter table with a reason naming the field, the stream
 * keeps going, and accepted + rejected = sent.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class BadInputIsRejectedWithReasonsTest {
    @Inject
    StreamPath streamPath;

    @Inject
    Lake lake;

    @Test
    void everyBadEventIsInRejectedWithItsReasonAndGoodOnesStillFlow() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String now = Instant.now().toString(); // live events: within the pipeline's allowed lateness
        String ok = "{\"event_id\":\"" + run + "-ok%d\",\"event_type\":\"click\",\"user_id\":\"" + run
                + "-u\",\"event_timestamp\":\"" + now + "\"}";
        Map<String, String> bad = Map.of(
                "{\"event_id\":\"" + run + "-a\", \"event_type\": click", "malformed JSON",
                "{\"event_id\":\"" + run + "-b\",\"event_type\":\"click\",\"user_id\":\"u\",\"event_timestamp\":\"yesterday\"}",
                "field 'event_timestamp' should be an ISO-8601 timestamp",
                "{\"event_id\":\"" + run + "-c\",\"event_type\":\"click\",\"event_timestamp\":\"" + now + "\"}",
                "required field 'user_id' is missing",
                "{\"event_id\":\"" + run + "-d\",\"event_type\":\"teleport\",\"user_id\":\"u\",\"event_timestamp\":\"" + now + "\"}",
                "field 'event_type' has value 'teleport' which is not one of",
                "{\"event_id\":\"" + run + "-e\",\"event_type\":\"purchase\",\"user_id\":\"u\",\"amount\":\"lots\",\"event_timestamp\":\"" + now + "\"}",
                "field 'amount' should be a double but is lots",
                "[\"" + run + "-f\"]", "event is not a JSON object",
                "{\"event_id\":\"" + run + "-g\",\"event_type\":\"click\",\"user_id\":\"u\",\"amount\":-1,\"event_timestamp\":\"" + now + "\"}",
                "outside the allowed range");
        StringBuilder ndjson = new StringBuilder(String.format(ok, 1)).append('\n');
        bad.keySet().forEach(line -> ndjson.append(line).append('\n'));
        ndjson.append(String.format(ok, 2)).append('\n');
        PlatformClient.ingestNdjson("user_events", ndjson.toString());

        awaitUntil("all 9 events are in raw", () -> rawValues(run).size() == 9);
        List<Object[]> rejected = rows(lake, TablePath.rejected("user_events")).stream()
                .filter(r -> text(r[5]).contains(run)).toList();
        assertThat(rejected).hasSize(bad.size());
        for (var e : bad.entrySet()) {
            Object[] row = rejected.stream().filter(r -> text(r[5]).equals(e.getKey())).findFirst().orElseThrow();
            assertThat((String) row[6]).as("reason for %s", e.getKey()).contains(e.getValue());
            assertThat(row[0]).isEqualTo("hybridlake.user_events");
            assertThat((Long) row[2]).isGreaterThanOrEqualTo(0L); // offset recorded
        }
        List<Object[]> refined = rows(lake, TablePath.refinedStream("user_events")).stream()
                .filter(r -> ((String) r[0]).startsWith(run)).toList();
        assertThat(refined).extracting(r -> r[0]).containsExactlyInAnyOrder(run + "-ok1", run + "-ok2");
        assertThat(refined.size() + rejected.size()).isEqualTo(rawValues(run).size());
    }

    /**
     * The Kafka consumers read only the pipelines' topics; a delivery from a source no pipeline reads
     * (a Functions host bound to a hub without a pipeline) is kept as a dead letter, not dropped.
     */
    @Test
    void eventsOfASourceWithoutPipelineAreRejectedAsUnrouted() throws Exception {
        String run = UUID.randomUUID().toString();
        streamPath.process(new EventBatch("hybridlake.nosuch", 0, List.of(
                new SourceRecord(0, System.currentTimeMillis(), null,
                        ("{\"id\":\"" + run + "\"}").getBytes(), Map.of()))));
        assertThat(unrouted(run)).hasSize(1);
        assertThat((String) unrouted(run).get(0)[6]).contains("no pipeline reads topic 'hybridlake.nosuch'");
    }

    @Test
    void ingestForAnUnknownTableIsAProblemNamingIt() {
        given().contentType("application/json").body("{\"table\":\"nosuch\",\"events\":[{}]}").post("/ingest").then()
                .statusCode(404).contentType("application/problem+json").body("detail", containsString("nosuch"));
        given().contentType("application/json").body("{\"table\":\"../../etc\",\"events\":[{}]}").post("/ingest")
                .then().statusCode(404);
        given().queryParam("table", "../../etc").get("/tableInfo").then().statusCode(400)
                .body("detail", containsString("invalid table name"));
    }

    private List<Object[]> unrouted(String run) {
        return rows(lake, new TablePath("_rejected/_unrouted")).stream().filter(r -> text(r[5]).contains(run)).toList();
    }

    private List<String> rawValues(String run) {
        return rows(lake, TablePath.rawStream("user_events")).stream().map(r -> text(r[5]))
                .filter(v -> v.contains(run)).toList();
    }

    private static String text(Object bytes) {
        return bytes == null ? "" : new String((byte[]) bytes, StandardCharsets.UTF_8);
    }
}
