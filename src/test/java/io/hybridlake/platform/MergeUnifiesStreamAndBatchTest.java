package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Events through the stream and a file through the batch path, then {@code POST /merge}: the merged
 * table holds each transaction once, from whichever layer had its latest event time, with
 * {@code source_system}; a second merge commits nothing; earlier versions stay readable by time.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class MergeUnifiesStreamAndBatchTest {
    @Inject
    Lake lake;

    @Test
    void theLatestEventOfEachKeyWinsAcrossStreamAndBatch() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
        PlatformClient.ingest("transactions", "[" + tx(run + "-1", 11, t.plusSeconds(10)) + ","
                + tx(run + "-2", 12, t.plusSeconds(10)) + "," + tx(run + "-3", 13, t.plusSeconds(10)) + "]");
        awaitUntil("stream rows refined", () -> rows(lake, TablePath.refinedStream("transactions")).stream()
                .filter(r -> ((String) r[0]).startsWith(run)).count() == 3);
        String csv = "transaction_id,customer_id,amount,status,transaction_date\n"
                + run + "-1,c,21,completed," + t + "\n"                 // older than the stream's: loses
                + run + "-2,c,22,completed," + t.plusSeconds(20) + "\n" // newer: wins
                + run + "-4,c,24,completed," + t + "\n";                // only in batch
        given().queryParam("name", run + ".csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/tables/transactions/files").then().statusCode(200);

        JsonPath merged = merge();
        assertThat(merged.getBoolean("[0].changed")).isTrue();
        long version = merged.getLong("[0].targetVersion");
        Map<String, String> rows = mergedRows(run, null);
        assertThat(rows).containsExactlyInAnyOrderEntriesOf(Map.of(run + "-1", "11.0 stream", run + "-2", "22.0 batch",
                run + "-3", "13.0 stream", run + "-4", "24.0 batch"));

        JsonPath again = merge();
        assertThat(again.getBoolean("[0].changed")).isFalse();
        assertThat(again.getLong("[0].targetVersion")).isEqualTo(version);

        // an update later: the version before it is still readable, by version and by time
        String before = Instant.now().toString();
        PlatformClient.ingest("transactions", "[" + tx(run + "-3", 33, t.plusSeconds(30)) + "]");
        awaitUntil("the update refined", () -> rows(lake, TablePath.refinedStream("transactions")).stream()
                .filter(r -> ((String) r[0]).equals(run + "-3")).count() == 2);
        assertThat(merge().getLong("[0].targetVersion")).isGreaterThan(version);
        assertThat(mergedRows(run, null)).containsEntry(run + "-3", "33.0 stream");
        assertThat(mergedRows(run, before)).containsEntry(run + "-3", "13.0 stream");
        given().queryParam("table", "transactions").queryParam("zone", "refined/merged").queryParam("asOf", before)
                .get("/tableInfo").then().statusCode(200).extract().jsonPath().getLong("version");
        given().queryParam("table", "transactions").queryParam("zone", "refined/merged")
                .queryParam("asOf", "2000-01-01T00:00:00Z").get("/tableInfo").then().statusCode(400);
    }

    private static JsonPath merge() {
        return given().contentType(ContentType.JSON).body("{\"table\":\"transactions\"}").post("/merge").then()
                .statusCode(200).extract().jsonPath();
    }

    /** transaction id -> "amount source_system" of this run's rows in refined/merged (as of a time). */
    private static Map<String, String> mergedRows(String run, String asOf) {
        var request = given().queryParam("table", "transactions").queryParam("zone", "refined/merged")
                .queryParam("limit", 10000);
        if (asOf != null) {
            request = request.queryParam("asOf", asOf);
        }
        List<Map<String, Object>> rows = request.get("/tableRows").then().statusCode(200).extract().jsonPath()
                .getList("$");
        return rows.stream().filter(r -> ((String) r.get("transaction_id")).startsWith(run)).collect(Collectors.toMap(
                r -> (String) r.get("transaction_id"), r -> ((Number) r.get("amount")).doubleValue() + " "
                        + r.get("source_system")));
    }

    private static String tx(String id, double amount, Instant at) {
        return "{\"transaction_id\":\"" + id + "\",\"customer_id\":\"c\",\"amount\":" + amount
                + ",\"status\":\"completed\",\"transaction_date\":\"" + at + "\"}";
    }
}
