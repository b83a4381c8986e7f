package io.hybridlake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged platform is stopped (SIGTERM) and killed (SIGKILL) between and during ingestion and
 * started again on the same lake, cache and broker data: every event ends up in the tables and the
 * window counts exactly once.
 */
class RestartLosesNothingIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stoppedAndKilledPlatformResumesWithoutLossOrDoubleCounting() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "restart-it").toAbsolutePath();
        int http = PlatformProcess.freePort();
        int broker = PlatformProcess.freePort();
        try (PlatformProcess first = PlatformProcess.start(home, http, broker)) {
            post(first, 0, 300);
            awaitRawCount(first, 300);
            first.stop();
        }
        try (PlatformProcess second = PlatformProcess.start(home, http, broker)) {
            assertThat(rawCount(second)).isEqualTo(300);
            post(second, 300, 600);
            second.kill(); // whatever was in flight: published but maybe not processed
        }
        try (PlatformProcess third = PlatformProcess.start(home, http, broker)) {
            awaitRawCount(third, 600);
            post(third, 600, 700);
            awaitRawCount(third, 700);
            long windowed = 0;
            for (int u = 0; u < 7; u++) {
                JsonNode windows = JSON.readTree(third.get("/windows?table=user_events&window=user_5m&key=u" + u).body());
                for (JsonNode w : windows) {
                    windowed += w.get("count").asLong();
                }
            }
            assertThat(windowed).isEqualTo(700);
            third.stop();
        }
        try (Lake lake = Lake.local(home.resolve("lake"))) {
            List<Object[]> refined = Fixtures.rows(lake, TablePath.refinedStream("user_events"));
            Set<Object> ids = refined.stream().map(r -> r[0]).collect(Collectors.toSet());
            assertThat(refined).hasSize(700);
            assertThat(ids).isEqualTo(new HashSet<>(IntStream.range(0, 700).mapToObj(i -> "e" + i).toList()));
        }
    }

    private static void post(PlatformProcess p, int from, int to) throws Exception {
        String body = IntStream.range(from, to).mapToObj(i -> "{\"event_id\":\"e" + i + "\",\"event_type\":\"click\","
                + "\"user_id\":\"u" + (i % 7) + "\",\"event_timestamp\":\"2025-03-01T10:0" + (i % 10) + ":00Z\"}")
                .collect(Collectors.joining("\n"));
        assertThat(p.post("/tables/user_events/events", "application/x-ndjson", body).statusCode()).isEqualTo(202);
    }

    private static long rawCount(PlatformProcess p) throws Exception {
        var response = p.get("/tableInfo?table=user_events&zone=raw/stream");
        return response.statusCode() == 200 ? JSON.readTree(response.body()).get("rowCount").asLong() : 0;
    }

    private static void awaitRawCount(PlatformProcess p, long expected) {
        Awaitility.await("raw/stream/user_events has " + expected + " rows").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200)).until(() -> rawCount(p) >= expected);
        try {
            assertThat(rawCount(p)).isEqualTo(expected);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
