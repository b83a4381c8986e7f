package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.RequiredComponent;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.ops.PlatformMetersProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Operations of a running platform: the seed's key metrics at /q/metrics (stream counters, lag,
 * batch runs, lake tables), the operations health group, the dashboard's data — and the dashboard
 * itself loaded in real headless Chromium, its charts drawn from the live data, with a screenshot.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class OperationsAreObservableTest {
    @Inject
    Lake lake;

    @Inject
    PlatformMetersProbe meters;

    @TestHTTPResource("/dashboard/")
    URL dashboard;

    private String streamSomeEvents() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        StringBuilder events = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            events.append(i == 0 ? "" : ",").append("{\"transaction_id\":\"").append(run).append('-').append(i)
                    .append("\",\"customer_id\":\"c").append(i % 3).append("\",\"amount\":").append(i == 7 ? -1 : i)
                    .append(",\"status\":\"completed\",\"transaction_date\":\"").append(t.plusSeconds(i)).append("\"}");
        }
        PlatformClient.ingest("transactions", events.append(']').toString());
        awaitUntil("events refined", () -> rows(lake, TablePath.refinedStream("transactions")).stream()
                .filter(r -> ((String) r[0]).startsWith(run)).count() == 19);
        given().contentType(ContentType.JSON).body("{\"table\":\"transactions\"}").post("/merge").then().statusCode(200);
        meters.refreshNow();
        return run;
    }

    private static double metric(String scrape, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(labels) + "[^}]*\\} (\\S+)$")
                .matcher(scrape);
        assertThat(m.find()).as("metric %s{%s} in\n%s", name, labels, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsHealthAndDashboardDataDescribeTheRunningPlatform() {
        streamSomeEvents();
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metric(scrape, "hybridlake_stream_events_total", "outcome=\"received\"")).isGreaterThanOrEqualTo(20);
        assertThat(metric(scrape, "hybridlake_stream_events_total", "outcome=\"rejected\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric(scrape, "hybridlake_stream_freshness_seconds", "quantile=\"0.99\"")).isPositive();
        assertThat(metric(scrape, "hybridlake_stream_consumer_lag", "table=\"transactions\"")).isGreaterThanOrEqualTo(0);
        assertThat(metric(scrape, "hybridlake_stream_watermark_delay_seconds", "table=\"transactions\"")).isPositive();
        assertThat(metric(scrape, "hybridlake_batch_runs_total", "job=\"merge\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric(scrape, "hybridlake_batch_last_status", "job=\"merge\"")).isEqualTo(1);
        assertThat(metric(scrape, "hybridlake_lake_table_files", "table=\"refined/stream/transactions\"")).isPositive();
        assertThat(metric(scrape, "hybridlake_lake_table_version", "table=\"refined/merged/transactions\"")).isPositive();

        given().get("/q/health/group/operations").then().statusCode(200);
        JsonPath data = given().get("/ops/dashboard").then().statusCode(200).extract().jsonPath();
        assertThat(data.getLong("stream.received")).isGreaterThanOrEqualTo(20);
        assertThat(data.getMap("tables")).containsKey("refined/stream/transactions");
        assertThat(data.getLong("batch.merge.runs")).isGreaterThanOrEqualTo(1);
        assertThat(data.getDouble("cost.totalUsd")).isPositive();
    }

    @Test
    void theDashboardRendersItsChartsInHeadlessChromium() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        RequiredComponent.require(Files.isExecutable(chromium), "Chromium is not installed (apt-get install chromium; .ci/run does it)");
        streamSomeEvents();
        Path out = Path.of("target", "dashboard").toAbsolutePath();
        Files.createDirectories(out);
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> common = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,1100", "--virtual-time-budget=7000");
        String dom = run(common, "--dump-dom", dashboard.toString());
        assertThat(dom).contains("class=\"status ok\"").contains(">live<");
        Matcher samples = Pattern.compile("data-samples=\"(\\d+)\"").matcher(dom);
        assertThat(samples.find()).as("the page received data:\n%s", dom).isTrue();
        assertThat(Integer.parseInt(samples.group(1))).isGreaterThanOrEqualTo(2);
        Matcher received = Pattern.compile("data-received=\"(\\d+)\"").matcher(dom);
        assertThat(received.find() && Long.parseLong(received.group(1)) >= 20).isTrue();
        for (String chart : List.of("chart-batch", "chart-latency", "chart-cost", "chart-errors", "chart-lag")) {
            assertThat(dom).as("chart %s drawn with points", chart).containsPattern("id=\"" + chart
                    + "\"[^>]*data-points=\"[1-9]").containsPattern("id=\"" + chart + "\"[\\s\\S]*?<canvas");
        }
        Path screenshot = out.resolve("dashboard.png");
        run(common, "--screenshot=" + screenshot, dashboard.toString());
        assertThat(Files.size(screenshot)).as("screenshot %s", screenshot).isGreaterThan(20_000);
    }

    private static String run(List<String> common, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(common);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return stdout;
    }
}
