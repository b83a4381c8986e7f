package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Events posted over HTTP travel through the real embedded broker and the stream path into Delta
 * tables (read back through delta-kernel) and the speed cache, with exactly the expected rows and
 * window aggregates (computed independently here).
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class EventsFlowToTablesAndCacheTest {
    @Inject
    Lake lake;

    record Sent(String id, String customer, double amount, String status, Instant time) {
    }

    @Test
    void acceptedEventsReachRefinedAndTheWindowsRejectedOnesTheDeadLetterTable() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant base = Instant.now().minusSeconds(45 * 60).truncatedTo(ChronoUnit.SECONDS);
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            sent.add(new Sent(run + "-" + i, run + "-c" + (i % 3), 1.25 * i, i % 4 == 0 ? "pending" : "completed",
                    base.plusSeconds(37L * i)));
        }
        String events = sent.stream().map(s -> "{\"transaction_id\":\"" + s.id() + "\",\"customer_id\":\"" + s.customer()
                + "\",\"amount\":" + s.amount() + ",\"status\":\"" + s.status() + "\",\"transaction_date\":\"" + s.time() + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        String negative = "{\"transaction_id\":\"" + run + "-neg\",\"customer_id\":\"" + run + "-c0\",\"amount\":-5,"
                + "\"status\":\"completed\",\"transaction_date\":\"" + base + "\"}";
        PlatformClient.ingest("transactions", events.substring(0, events.length() - 1) + "," + negative + "]");

        awaitUntil("raw has every event of this run", () -> idsIn(TablePath.rawStream("transactions"), run, 4).size() == 61);

        Set<String> expectedRefined = sent.stream().filter(s -> s.status().equals("completed")).map(Sent::id)
                .collect(Collectors.toSet());
        assertThat(refinedIds(run)).containsExactlyInAnyOrderElementsOf(expectedRefined);

        List<Object[]> rejected = rows(lake, TablePath.rejected("transactions")).stream()
                .filter(r -> new String((byte[]) r[5]).contains(run)).toList();
        assertThat(rejected).hasSize(1);
        assertThat((String) rejected.get(0)[6]).contains("amount").contains("-5");
        assertThat(rejected.get(0)[7]).isEqualTo("amount");

        // independent computation of the seed's "count per customer per 5-minute tumbling window"
        Map<String, Map<Instant, double[]>> expected = new HashMap<>();
        for (Sent s : sent) {
            if (s.status().equals("completed")) {
                Instant start = Instant.ofEpochSecond(s.time().getEpochSecond() / 300 * 300);
                double[] agg = expected.computeIfAbsent(s.customer(), k -> new HashMap<>())
                        .computeIfAbsent(start, k -> new double[2]);
                agg[0]++;
                agg[1] += s.amount();
            }
        }
        for (var customer : expected.entrySet()) {
            JsonPath windows = given().queryParam("table", "transactions").queryParam("window", "customer_5m")
                    .queryParam("key", customer.getKey()).get("/windows").then().statusCode(200).extract().jsonPath();
            assertThat(windows.getList("windowStart", String.class)).containsExactlyElementsOf(
                    customer.getValue().keySet().stream().sorted().map(Instant::toString).toList());
            for (int w = 0; w < windows.getList("windowStart").size(); w++) {
                double[] agg = customer.getValue().get(Instant.parse(windows.getString("[" + w + "].windowStart")));
                assertThat(windows.getLong("[" + w + "].count")).isEqualTo((long) agg[0]);
                assertThat(windows.getDouble("[" + w + "].aggregates.total_amount")).isEqualTo(agg[1]);
                assertThat(windows.getString("[" + w + "].windowEnd")).isEqualTo(
                        Instant.parse(windows.getString("[" + w + "].windowStart")).plusSeconds(300).toString());
            }
        }

        given().queryParam("table", "transactions").get("/tableInfo").then().statusCode(200)
                .body("version", greaterThanOrEqualTo(1))
                .body("rowCount", greaterThanOrEqualTo(expectedRefined.size()))
                .body("fileCount", greaterThanOrEqualTo(1))
                .body("partitionColumns", equalTo(List.of("event_date")))
                .body("columns.name", hasItems("transaction_id", "amount", "event_date", "_source_offset"));
    }

    private Set<String> refinedIds(String run) {
        return idsIn(TablePath.refinedStream("transactions"), run, 0);
    }

    /** Transaction ids of this run in a table; column is the id (refined) or the JSON value (raw). */
    private Set<String> idsIn(TablePath table, String run, int column) {
        return rows(lake, table).stream().map(r -> r[column] instanceof byte[] b ? new String(b) : (String) r[column])
                .filter(v -> v.contains(run)).collect(Collectors.toSet());
    }

}
