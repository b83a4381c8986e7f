package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The workload router over HTTP runs each route through the real path (rows reach refined/stream
 * through the broker, refined/batch through an import, or come back as SQL results), and the SQL
 * endpoint answers in JSON and CSV and refuses writes with a problem document.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class RouterAndSqlOverHttpTest {
    @Inject
    Lake lake;

    private static String tx(String id, String customer, double amount, Instant at) {
        return "{\"transaction_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"amount\":" + amount
                + ",\"status\":\"completed\",\"transaction_date\":\"" + at + "\"}";
    }

    private static JsonPath route(String job) {
        return given().contentType(ContentType.JSON).body(job).post("/route").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void eachRouteRunsThroughItsRealPath() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300);

        JsonPath stream = route("{\"table\":\"transactions\",\"latency\":\"5s\",\"rows\":[" + tx(run + "-s1", run, 1, t)
                + "," + tx(run + "-s2", run, 2, t) + "]}");
        assertThat(stream.getString("route")).isEqualTo("STREAM");
        assertThat(stream.getString("explanation")).startsWith("stream: results are needed within 5 s");
        assertThat(stream.getInt("result.published")).isEqualTo(2);
        awaitUntil("streamed rows refined", () -> rows(lake, TablePath.refinedStream("transactions")).stream()
                .filter(r -> ((String) r[0]).startsWith(run + "-s")).count() == 2);

        JsonPath batch = route("{\"table\":\"transactions\",\"latency\":\"2h\",\"rows\":[" + tx(run + "-b1", run, 3, t)
                + "," + tx(run + "-b2", run, -1, t) + "]}");
        assertThat(batch.getString("route")).isEqualTo("BATCH");
        assertThat(batch.getList("rulesEvaluated", String.class)).last().isEqualTo("latency 2 h ≥ 1 h → batch");
        assertThat(batch.getLong("result.records")).isEqualTo(2);
        assertThat(batch.getLong("result.rejected")).as("the negative amount").isEqualTo(1);
        assertThat(rows(lake, TablePath.refinedBatch("transactions"))).anyMatch(r -> (run + "-b1").equals(r[0]));

        JsonPath adhoc = route("{\"table\":\"transactions\",\"exploratory\":true,\"rows\":[" + tx(run + "-a1", "x", 4, t)
                + "," + tx(run + "-a2", "x", 5, t) + "],\"sql\":\"SELECT customer_id, sum(amount) AS total FROM job "
                + "GROUP BY customer_id\"}");
        assertThat(adhoc.getString("route")).isEqualTo("ADHOC");
        assertThat(adhoc.getList("result.rows[0]")).containsExactly("x", 9.0f);
        assertThat(rows(lake, TablePath.refinedBatch("transactions"))).noneMatch(r -> ((String) r[0]).startsWith(run + "-a"));

        JsonPath overLake = route("{\"exploratory\":true,\"sql\":\"SELECT count(*) AS n FROM refined_batch_transactions "
                + "WHERE transaction_id LIKE '" + run + "%'\"}");
        assertThat(overLake.getLong("result.rows[0][0]")).isEqualTo(1);

        JsonPath dry = route("{\"table\":\"transactions\",\"records\":5000000,\"dryRun\":true}");
        assertThat(dry.getString("route")).isEqualTo("BATCH");
        assertThat(dry.getString("result")).isNull();
    }

    @Test
    void sqlAnswersInJsonAndCsvAndRefusesWrites() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300);
        route("{\"table\":\"transactions\",\"latency\":\"2h\",\"rows\":[" + tx(run + "-1", "c,1", 7.5, t) + "]}");
        String where = " FROM refined_batch_transactions WHERE transaction_id = '" + run + "-1'";

        JsonPath json = given().contentType(ContentType.JSON).body("{\"sql\":\"SELECT customer_id, amount" + where + "\"}")
                .post("/sql").then().statusCode(200).extract().jsonPath();
        assertThat(json.getList("columns.name")).containsExactly("customer_id", "amount");
        assertThat(json.getList("rows[0]")).containsExactly("c,1", 7.5f);

        given().queryParam("q", "SELECT customer_id, amount" + where).queryParam("format", "csv").get("/sql").then()
                .statusCode(200).contentType(startsWith("text/csv")).body(containsString("customer_id,amount\r\n\"c,1\",7.5\r\n"));

        given().contentType(ContentType.TEXT).body("DELETE FROM transactions").post("/sql").then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body(containsString("only read-only queries"));
        given().queryParam("q", "SELECT * FROM refined_stream_transactions VERSION AS OF 999999").get("/sql").then()
                .statusCode(404).body(containsString("has no version 999999"));
    }
}
