package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.TablePath;
import io.hybridlake.runtime.Platform;
import io.hybridlake.stream.PipelineStates;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
 * resumes by itself and every event lands exactly once.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class OnePipelinesTroubleStaysInItTest {
    @Inject
    Platform platform;

    @Test
    void aPipelineWhoseStorageFailsPausesAloneAndCatchesUpExactlyOnce() throws Exception {
        Path blocker = Path.of(java.net.URI.create(platform.lake().root())).resolve("raw/stream/returns");
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "not a table directory: the returns pipeline's raw commits fail");
        Instant at = Instant.parse("2026-11-24T10:00:00Z");

        PlatformClient.ingest("returns", IntStream.range(0, 200).mapToObj(i -> "{\"return_id\":\"r" + i
                + "\",\"reason\":\"damaged\",\"returned_at\":\"" + at.plusSeconds(i) + "\"}")
                .collect(Collectors.joining(",", "[", "]")));
        awaitUntil("returns paused", () -> platform.pipelineStates().of("returns") != null
                && platform.pipelineStates().of("returns").failure() != null);

        PlatformClient.ingest("parcels", IntStream.range(0, 200).mapToObj(i -> "{\"scan_id\":\"s" + i
                + "\",\"depot\":\"d" + (i % 3) + "\",\"scanned_at\":\"" + at.plusSeconds(i) + "\"}")
                .collect(Collectors.joining(",", "[", "]")));
        awaitUntil("parcels flows while returns is paused", () -> count(TablePath.rawStream("parcels")) == 200);
        PipelineStates.State returns = platform.pipelineStates().of("returns");
        assertThat(returns.failure()).as("returns is still paused").isNotNull().contains("returns");
        assertThat(platform.pipelineStates().of("parcels").healthy()).isTrue();
        var ready = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        assertThat(ready.getString("checks.find { it.name == 'pipelines' }.data.returns")).startsWith("DOWN: paused after")
                .contains("raw/stream/returns");
        assertThat(ready.getString("checks.find { it.name == 'pipelines' }.data.parcels")).isEqualTo("UP");
        assertThat(given().get("/q/metrics").then().extract().asString())
                .contains("hybridlake_stream_pipeline_up{table=\"returns\"} 0.0")
                .contains("hybridlake_stream_pipeline_up{table=\"parcels\"} 1.0");
        assertThat(count(TablePath.refinedStream("parcels"))).isEqualTo(200);

        Files.delete(blocker); // the cause is gone: the backoff retry finds it so
        awaitUntil("returns caught up", () -> count(TablePath.rawStream("returns")) == 200);
        List<Object[]> refined = rows(platform, TablePath.refinedStream("returns"));
        Set<Object> ids = refined.stream().map(r -> r[0]).collect(Collectors.toSet());
        assertThat(refined).hasSize(200);
        assertThat(ids).hasSize(200);
        awaitUntil("returns healthy again", () -> platform.pipelineStates().of("returns").healthy());
    }

    private long count(TablePath table) {
        return platform.lake().table(table).latestVersion() < 0 ? 0 : rows(platform, table).size();
    }
}
