package io.hybridlake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@code bin/hybridlake} command line against the packaged platform: ingest a file, merge, SQL, status. */
class CommandLineIT {
    private record Run(int exit, String out) {
    }

    private static Run cli(PlatformProcess p, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of("bin/hybridlake").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HYBRIDLAKE_URL", "http://127.0.0.1:" + p.httpPort);
        pb.environment().put("HYBRIDLAKE_KEY", PlatformProcess.API_KEY);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out);
    }

    @Test
    void commonOperationsFromTheCommandLine() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "cli-it").toAbsolutePath();
        Path file = home.resolve("history.ndjson");
        Files.writeString(file, IntStream.range(0, 250).mapToObj(i -> "{\"event_id\":\"h" + i + "\",\"event_type\":\"page_view\","
                + "\"user_id\":\"u" + i % 5 + "\",\"event_timestamp\":\"2025-02-01T10:00:00Z\"}").collect(Collectors.joining("\n")));
        // timers off: the merge below is the command line's, not the scheduler's
        try (PlatformProcess p = PlatformProcess.start(home, PlatformProcess.freePort(), PlatformProcess.freePort(),
                List.of("-Dhybridlake.batch.merge-every=off", "-Dhybridlake.batch.compact-every=off",
                        "-Dhybridlake.batch.vacuum-every=off"))) {
            Run ingest = cli(p, "ingest", "user_events", file.toString());
            assertThat(ingest.exit()).as(ingest.out()).isZero();
            assertThat(ingest.out()).contains("\"records\": 250").contains("\"refined\": 250").contains("\"rejected\": 0");

            Run merge = cli(p, "merge", "user_events");
            assertThat(merge.exit()).as(merge.out()).isZero();
            assertThat(merge.out()).contains("\"inserted\": 250");

            Run sql = cli(p, "sql", "SELECT count(*) AS n FROM user_events", "csv");
            assertThat(sql.exit()).as(sql.out()).isZero();
            assertThat(sql.out()).isEqualTo("n\r\n250\r\n");

            Run status = cli(p, "status");
            assertThat(status.exit()).as(status.out()).isZero();
            assertThat(status.out()).contains("\"status\": \"UP\"").contains("\"received\"");

            Run table = cli(p, "tables", "user_events", "refined/merged");
            assertThat(table.exit()).as(table.out()).isZero();
            assertThat(table.out()).contains("\"rowCount\": 250");

            Run lineage = cli(p, "lineage", "user_events", "refined/merged");
            assertThat(lineage.exit()).as(lineage.out()).isZero();
            assertThat(lineage.out()).contains("\"hybridlake.job\": \"merge\"")
                    .contains("\"hybridlake.upstream\": \"refined/batch/user_events@");

            Run replay = cli(p, "replay", "user_events", "0");
            assertThat(replay.exit()).as(replay.out()).isZero();
            assertThat(replay.out()).contains("\"topic\": \"hybridlake.user_events\"").contains("\"speedLayer\"");

            Run rebuild = cli(p, "rebuild-cache", "user_events");
            assertThat(rebuild.exit()).as(rebuild.out()).isZero();
            assertThat(rebuild.out()).contains("\"windowsWritten\": 0");

            Run refused = cli(p, "sql", "DROP TABLE user_events");
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.out()).contains("only read-only queries");

            Run unknown = cli(p, "frobnicate");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.out()).contains("unknown command 'frobnicate'");
        }
    }
}
