package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With a 3-second latency bound and a size bound no trickle reaches, events sent one by one are
 * gathered into a few micro-batches (few commits, few files) instead of one commit per event; the
 * table info reports the file count.
 */
@QuarkusTest
@TestProfile(MicroBatchesAreBoundedBySizeAndLatencyTest.LongBatches.class)
@WithTestResource(LocalPlatformResource.class)
class MicroBatchesAreBoundedBySizeAndLatencyTest {
    public static class LongBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hybridlake.stream.batch.max-latency-ms", "3000",
                    "hybridlake.stream.batch.min-bytes", "16777216");
        }
    }

    @Inject
    Lake lake;

    @Test
    void eventsSentOneByOneLandInAFewCommits() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int events = 40;
        TablePath raw = TablePath.rawStream("user_events");
        long versionBefore = lake.table(raw).exists() ? new TableReader(lake.table(raw))
                .info(OptionalLong.empty()).version() : -1;
        for (int i = 0; i < events; i++) {
            PlatformClient.ingest("user_events", "[{\"event_id\":\"" + run + "-" + i + "\",\"event_type\":\"click\","
                    + "\"user_id\":\"u\",\"event_timestamp\":\"" + Instant.now() + "\"}]");
        }
        awaitUntil("every event in raw", () -> PlatformClient.rows(lake, raw).stream()
                .filter(r -> new String((byte[]) r[5]).contains(run)).count() == events);
        long commits = new TableReader(lake.table(raw)).info(OptionalLong.empty()).version() - versionBefore;
        assertThat(commits).isBetween(1L, 8L);

        long files = given().queryParam("table", "user_events").queryParam("zone", "raw/stream").get("/tableInfo")
                .then().statusCode(200).extract().jsonPath().getLong("fileCount");
        assertThat(files).isBetween(1L, commits);
    }
}
