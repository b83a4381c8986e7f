package io.hybridlake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.lake.CommitHistory;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The broker's log is lost under a lake that already holds events (its data directory deleted between
 * two runs): the partitions whose lake marks the broker no longer reaches are held — health DOWN for
 * that pipeline with the reason, nothing consumed, nothing skipped — while the other pipeline flows.
 * New events wait in the broker until an operator resets the offsets; then they arrive exactly once
 * and the reset is in raw/stream's commit history. A forged custom-handler delivery is not served.
 */
class SourceThatWentBackwardsIsHeldIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void lostBrokerLogHoldsThePipelineUntilAnOperatorResetsIt() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "backwards-it").toAbsolutePath();
        int http = PlatformProcess.freePort();
        int broker = PlatformProcess.freePort();
        try (PlatformProcess first = PlatformProcess.start(home, http, broker)) {
            postUserEvents(first, 0, 300);
            awaitCount(first, "user_events", 300);
            first.stop();
        }
        try (Stream<Path> files = Files.walk(home.resolve("data/kafka"))) { // the broker's log is lost
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        try (PlatformProcess second = PlatformProcess.start(home, http, broker, List.of(), "/q/health/live")) {
            Awaitility.await("user_events held").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> second.get("/pipelines").body().contains("went backwards"));
            var ready = second.get("/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("user_events").contains("went backwards").contains("offsets reset");
            JsonNode states = JSON.readTree(second.get("/pipelines").body());
            assertThat(states.path("user_events").path("regressed")).hasSize(2);
            assertThat(states.path("transactions").path("regressed")).isEmpty();

            postUserEvents(second, 300, 400); // new events on the new log, at offsets the lake has already passed
            String tx = IntStream.range(0, 50).mapToObj(i -> "{\"transaction_id\":\"t" + i + "\",\"customer_id\":\"c1\","
                    + "\"amount\":" + (i + 1) + ",\"currency\":\"EUR\",\"status\":\"completed\",\"region\":\"eu\","
                    + "\"transaction_date\":\"2026-11-24T10:00:00Z\"}").collect(Collectors.joining("\n"));
            assertThat(second.post("/tables/transactions/events", "application/x-ndjson", tx).statusCode()).isEqualTo(202);
            awaitCount(second, "transactions", 50); // the other pipeline flows meanwhile...
            assertThat(count(second, "user_events")).isEqualTo(300); // ...and nothing of user_events was skipped
            JsonNode status = JSON.readTree(second.get("/streamStatus").body());
            assertThat(status.toString()).doesNotContain("\"replaySkipped\":1");

            var forged = second.post("/StreamEvents_user_events", "application/json", "{\"Data\":{\"events\":[\"{}\"]},"
                    + "\"Metadata\":{\"PartitionContext\":{\"EventHubName\":\"hybridlake.user_events\",\"PartitionId\":\"0\"},"
                    + "\"SystemPropertiesArray\":[{\"SequenceNumber\":999999999999}]}}");
            assertThat(forged.statusCode()).isEqualTo(404);

            for (int partition = 0; partition < 2; partition++) {
                var reset = second.post("/resetOffsets", "application/json", "{\"table\":\"user_events\",\"partition\":"
                        + partition + ",\"to\":\"earliest\",\"reason\":\"broker data lost in the test\"}");
                assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
            }
            awaitCount(second, "user_events", 400);
            Awaitility.await("ready again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> second.get("/q/health/ready").statusCode() == 200);
            second.stop();
        }
        try (Lake lake = Lake.local(home.resolve("lake"))) {
            List<Object[]> refined = Fixtures.rows(lake, TablePath.refinedStream("user_events"));
            Set<Object> ids = refined.stream().map(r -> r[0]).collect(Collectors.toSet());
            assertThat(refined).hasSize(400);
            assertThat(ids).isEqualTo(new HashSet<>(IntStream.range(0, 400).mapToObj(i -> "e" + i).toList()));
            List<CommitHistory.Commit> history = lake.table(TablePath.rawStream("user_events")).history(50);
            assertThat(history.stream().map(Object::toString).filter(c -> c.contains("offsets-reset")).count())
                    .isEqualTo(2);
        }
    }

    private static void postUserEvents(PlatformProcess p, int from, int to) throws Exception {
        String body = IntStream.range(from, to).mapToObj(i -> "{\"event_id\":\"e" + i + "\",\"event_type\":\"click\","
                + "\"user_id\":\"u" + (i % 7) + "\",\"event_timestamp\":\"2025-03-01T10:0" + (i % 10) + ":00Z\"}")
                .collect(Collectors.joining("\n"));
        assertThat(p.post("/tables/user_events/events", "application/x-ndjson", body).statusCode()).isEqualTo(202);
    }

    private static long count(PlatformProcess p, String table) throws Exception {
        var response = p.get("/tableInfo?table=" + table + "&zone=raw/stream");
        return response.statusCode() == 200 ? JSON.readTree(response.body()).get("rowCount").asLong() : 0;
    }

    private static void awaitCount(PlatformProcess p, String table, long expected) throws Exception {
        Awaitility.await("raw/stream/" + table + " has " + expected + " rows").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200)).until(() -> count(p, table) >= expected);
        assertThat(count(p, table)).isEqualTo(expected);
    }
}
