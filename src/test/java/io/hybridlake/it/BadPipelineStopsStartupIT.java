package io.hybridlake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A pipeline with a typo stops the packaged platform at start-up, and the log names file, line and field. */
class BadPipelineStopsStartupIT {
    @Test
    void aBadSpecIsReportedWithFileLineAndFieldAndThePlatformDoesNotStart() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "bad-spec-it").toAbsolutePath();
        Path pipelines = Files.createDirectories(home.resolve("pipelines"));
        Path spec = pipelines.resolve("orders.yaml");
        Files.writeString(spec, """
                table: orders
                fields:
                  - {name: id, type: string, nullable: false}
                  - {name: at, type: timestamp}
                key: id
                event_time: at
                windows:
                  - name: w
                    size: 5m
                    group_by: [customer]
                    aggregates: [{fn: count}]
                """);
        Process p = PlatformProcess.launch(home, PlatformProcess.freePort(), PlatformProcess.freePort(),
                List.of("-Dhybridlake.pipelines.dir=" + pipelines));
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the platform exits").isTrue();
        assertThat(p.exitValue()).isNotZero();
        String log = Files.readString(home.resolve("platform.log"));
        assertThat(log).contains(spec + ":10: windows[0].group_by[0]: unknown column 'customer'");
    }

}
