package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.PipelineStates;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Pipelines read topics of any legal name ({@code shop-returns_eu.v2}, Debezium's
 * {@code dbserver1.inventory.parcels}). When one pipeline's storage fails (its raw table's directory
 * is a plain file), that pipeline alone pauses — DOWN in readiness and {@code /pipelines} with the
 * reason, its up-metric 0 — while another pipeline's events keep arriving; once the cause is gone it
 * resumes by itself and every event lands exactly once. A pipeline an operator pauses consumes nothing
 * until resumed, while the others flow, and then takes every waiting event exactly once.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class OnePipelinesTroubleStaysInItTest {
    @Inject
    Lake lake;

    @Inject
    PipelineStates pipelineStates;

    @Test
    void aPipelineWhoseStorageFailsPausesAloneAndCatchesUpExactlyOnce() throws Exception {
        Path blocker = Path.of(URI.create(lake.root())).resolve("raw/stream/returns");
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "not a table directory: the returns pipeline's raw commits fail");
        Instant at = Instant.parse("2026-11-24T10:00:00Z");
        long parcelsBefore = count(TablePath.rawStream("parcels")); // the other test may have run first

        PlatformClient.ingest("returns", IntStream.range(0, 200).mapToObj(i -> "{\"return_id\":\"r" + i
                + "\",\"reason\":\"damaged\",\"returned_at\":\"" + at.plusSeconds(i) + "\"}")
                .collect(Collectors.joining(",", "[", "]")));
        awaitUntil("returns paused", () -> pipelineStates.of("returns") != null
                && pipelineStates.of("returns").failure() != null);

        PlatformClient.ingest("parcels", IntStream.range(0, 200).mapToObj(i -> "{\"scan_id\":\"s" + i
                + "\",\"depot\":\"d" + (i % 3) + "\",\"scanned_at\":\"" + at.plusSeconds(i) + "\"}")
                .collect(Collectors.joining(",", "[", "]")));
        awaitUntil("parcels flows while returns is paused",
                () -> count(TablePath.rawStream("parcels")) == parcelsBefore + 200);
        PipelineStates.State returns = pipelineStates.of("returns");
        assertThat(returns.failure()).as("returns is still paused").isNotNull().contains("returns");
        assertThat(pipelineStates.of("parcels").healthy()).isTrue();
        var ready = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        assertThat(ready.getString("checks.find { it.name == 'pipelines' }.data.returns")).startsWith("DOWN: paused after")
                .contains("raw/stream/returns");
        assertThat(ready.getString("checks.find { it.name == 'pipelines' }.data.parcels")).isEqualTo("UP");
        assertThat(given().get("/q/metrics").then().extract().asString())
                .contains("hybridlake_stream_pipeline_up{table=\"returns\"} 0.0")
                .contains("hybridlake_stream_pipeline_up{table=\"parcels\"} 1.0");
        assertThat(count(TablePath.refinedStream("parcels"))).isEqualTo(parcelsBefore + 200);

        Files.delete(blocker); // the cause is gone: the backoff retry finds it so
        awaitUntil("returns caught up", () -> count(TablePath.rawStream("returns")) == 200);
        List<Object[]> refined = rows(lake, TablePath.refinedStream("returns"));
        Set<Object> ids = refined.stream().map(r -> r[0]).collect(Collectors.toSet());
        assertThat(refined).hasSize(200);
        assertThat(ids).hasSize(200);
        awaitUntil("returns healthy again", () -> pipelineStates.of("returns").healthy());
    }

    @Test
    void aPipelinePausedByAnOperatorWaitsAloneAndThenTakesEveryEventOnce() {
        long pausedBefore = count(TablePath.rawStream("user_events"));
        long parcelsBefore = count(TablePath.rawStream("parcels"));
        given().contentType("application/json").body("{\"table\":\"user_events\",\"reason\":\"storage maintenance\"}")
                .post("/pausePipeline").then().statusCode(200);
        try {
            Instant at = Instant.now();
            PlatformClient.ingest("user_events", IntStream.range(0, 150).mapToObj(i -> "{\"event_id\":\"paused-" + i
                    + "\",\"event_type\":\"click\",\"user_id\":\"u" + (i % 7) + "\",\"event_timestamp\":\""
                    + at.plusMillis(i) + "\"}").collect(Collectors.joining(",", "[", "]")));
            PlatformClient.ingest("parcels", IntStream.range(0, 150).mapToObj(i -> "{\"scan_id\":\"paused-" + i
                    + "\",\"depot\":\"d1\",\"scanned_at\":\"" + at.plusSeconds(i) + "\"}")
                    .collect(Collectors.joining(",", "[", "]")));
            // parcels was produced after user_events: once it is in, the paused consumer had its chance to fetch
            awaitUntil("parcels flows while user_events is paused",
                    () -> count(TablePath.rawStream("parcels")) == parcelsBefore + 150);
            assertThat(count(TablePath.rawStream("user_events"))).as("nothing consumed while paused").isEqualTo(pausedBefore);
            assertThat(given().get("/pipelines").then().statusCode(200).extract().jsonPath()
                    .getString("user_events.pausedBy")).isEqualTo("storage maintenance");
            var ready = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertThat(ready.getString("checks.find { it.name == 'pipelines' }.data.user_events"))
                    .isEqualTo("DOWN: paused by an operator: storage maintenance");
        } finally { // the other tests of this platform need user_events running
            given().contentType("application/json").body("{\"table\":\"user_events\"}").post("/resumePipeline").then()
                    .statusCode(200);
        }
        awaitUntil("user_events drains its backlog", () -> count(TablePath.rawStream("user_events")) == pausedBefore + 150);
        List<Object> ids = rows(lake, TablePath.refinedStream("user_events")).stream().map(r -> r[0])
                .filter(id -> String.valueOf(id).startsWith("paused-")).toList();
        assertThat(ids).hasSize(150).doesNotHaveDuplicates();
        assertThat(pipelineStates.of("user_events").pausedBy()).isNull();
    }

    private long count(TablePath table) {
        return lake.table(table).latestVersion() < 0 ? 0 : rows(lake, table).size();
    }
}
