package io.hybridlake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged platform is killed (SIGKILL) during a MERGE, after it has written data files of the
 * merged table and before it committed them; restarted, the merge runs again and the merged table
 * equals the imported rows exactly, the abandoned files unreferenced; a further merge commits nothing.
 */
class MergeKilledBeforeCommitIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TIMERS_OFF = List.of("-Dhybridlake.batch.merge-every=off",
            "-Dhybridlake.batch.landing-scan-every=off", "-Dhybridlake.batch.compact-every=off",
            "-Dhybridlake.batch.vacuum-every=off");

    @Test
    void aMergeKilledMidWayIsRedoneExactlyOnce() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "merge-crash-it").toAbsolutePath();
        int http = PlatformProcess.freePort();
        int broker = PlatformProcess.freePort();
        Map<String, Double> imported = new HashMap<>();
        StringBuilder csv = new StringBuilder("transaction_id,customer_id,amount,status,transaction_date\n");
        Instant base = Instant.parse("2024-05-01T00:00:00Z");
        for (int i = 0; i < 150_000; i++) {
            double amount = (i % 10_000) / 4.0;
            imported.put("m" + i, amount);
            csv.append('m').append(i).append(",c").append(i % 500).append(',').append(amount).append(",completed,")
                    .append(base.plusSeconds(i * 17L)).append('\n');
        }
        Path merged = home.resolve("lake").resolve(TablePath.merged("transactions").relative());
        try (PlatformProcess first = PlatformProcess.start(home, http, broker, TIMERS_OFF)) {
            var upload = first.post("/tables/transactions/files?name=load.csv", "text/csv", csv.toString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
            CompletableFuture.runAsync(() -> {
                try {
                    first.post("/merge", "application/json", "{\"table\":\"transactions\"}");
                } catch (Exception e) {
                    // the platform is killed under this request: no answer is expected
                }
            });
            Awaitility.await("the merge writes its first data file").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(5)).until(() -> parquetFiles(merged) > 0);
            first.kill();
        }
        assertThat(Files.exists(merged.resolve("_delta_log/00000000000000000001.json")))
                .as("the merge was killed before its commit").isFalse();
        long abandoned = parquetFiles(merged);

        try (PlatformProcess second = PlatformProcess.start(home, http, broker, TIMERS_OFF)) {
            JsonNode run = JSON.readTree(second.post("/merge", "application/json", "{\"table\":\"transactions\"}").body());
            assertThat(run.get(0).get("changed").asBoolean()).isTrue();
            assertThat(run.get(0).get("inserted").asLong()).isEqualTo(imported.size());
            JsonNode again = JSON.readTree(second.post("/merge", "application/json", "{\"table\":\"transactions\"}").body());
            assertThat(again.get(0).get("changed").asBoolean()).isFalse();
            second.stop();
        }
        try (Lake lake = Lake.local(home.resolve("lake"))) {
            Map<String, Double> rows = new HashMap<>();
            for (Object[] r : Fixtures.rows(lake, TablePath.merged("transactions"))) {
                assertThat(rows.put((String) r[0], (Double) r[2])).as("one row for %s", r[0]).isNull();
            }
            assertThat(rows).isEqualTo(imported);
            long referenced = new TableFiles(lake.table(TablePath.merged("transactions")))
                    .filePaths(lake.table(TablePath.merged("transactions")).latestVersion()).size();
            assertThat(parquetFiles(merged)).isEqualTo(abandoned + referenced); // the killed merge's files: unreferenced
        }
    }

    private static long parquetFiles(Path table) throws Exception {
        if (!Files.isDirectory(table)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(table)) {
            return files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).count();
        }
    }
}
