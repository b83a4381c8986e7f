package io.hybridlake.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.PipelineStates;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests that are wrong, too big or too slow each get their own status and a problem document that
 * names the field and never an absolute path: bad versions and times, a missing window, a negative
 * limit, an SQL answer past its byte limit (413), a query past its time (504), a body past its size
 * (413 with the limit), malformed Functions-host payloads (400), an operator's pause with a reason too
 * long, a body too big or not JSON, or an unknown pipeline (and nothing paused); nested SQL values come
 * back as JSON.
 */
@QuarkusTest
@TestProfile(EveryBadRequestGetsItsStatusTest.TightLimits.class)
@WithTestResource(LocalPlatformResource.class)
class EveryBadRequestGetsItsStatusTest {
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hybridlake.sql.timeout", "1s", "hybridlake.sql.max-result-bytes", "1048576",
                    "quarkus.http.limits.max-body-size", "1M", "hybridlake.functions.custom-handler", "true");
        }
    }

    @Inject
    Lake lake;

    @Inject
    PipelineStates pipelineStates;

    @Test
    void tableFunctionsNameTheFieldAndNoPath() {
        PlatformClient.ingest("transactions", "[{\"transaction_id\":\"b1\",\"customer_id\":\"c\",\"amount\":1,"
                + "\"status\":\"completed\",\"transaction_date\":\"2026-11-24T10:00:00Z\"}]");
        PlatformClient.awaitUntil("the table exists", () -> lake.table(
                TablePath.refinedStream("transactions")).latestVersion() >= 0);
        String root = Path.of(URI.create(lake.root())).toString();
        given().get("/tableInfo?table=transactions&version=-1").then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body(containsString("0 or more"));
        given().get("/tableInfo?table=transactions&asOf=2001-01-01T00:00:00Z").then().statusCode(400)
                .body(containsString("before its first commit")).body(not(containsString(root)));
        given().get("/tables/transactions/unified?key=c").then().statusCode(400).body(containsString("'window'"));
        given().get("/windows?table=transactions&key=c&limit=-1").then().statusCode(400)
                .body(containsString("limit must be 1..100000"));
    }

    @Test
    void sqlAnswersTooBigOrTooSlowAndNestedValues() {
        given().contentType("text/plain").body("SELECT repeat('x', 100000) FROM range(100)").post("/sql").then()
                .statusCode(413).body(containsString("hybridlake.sql.max-result-bytes"));
        given().contentType("text/plain").body("SELECT count(*) FROM range(100000000000) a, range(10) b").post("/sql")
                .then().statusCode(504).body(containsString("hybridlake.sql.timeout"));
        String nested = given().contentType("text/plain").body("SELECT {'a': 1, 'b': [2, 3]} AS s, MAP {'k': 'v'} AS m")
                .post("/sql").then().statusCode(200).extract().asString();
        assertThat(nested).contains("{\"a\":1,\"b\":[2,3]}").contains("{\"k\":\"v\"}");
    }

    @Test
    void bodiesPastTheLimitSayTheLimit() {
        String big = "{\"table\":\"transactions\",\"events\":[\"" + "x".repeat(2 << 20) + "\"]}";
        given().contentType("application/json").body(big).post("/ingest").then().statusCode(413)
                .body(containsString("larger than this endpoint takes"));
    }

    @Test
    void malformedFunctionsHostPayloadsAre400() {
        String zero = "{\"Data\":{\"events\":[\"{}\"]},\"Metadata\":{\"PartitionContext\":{\"EventHubName\":"
                + "\"hybridlake.transactions\",\"PartitionId\":\"zero\"},\"SystemPropertiesArray\":[{\"SequenceNumber\":1}]}}";
        given().contentType("application/json").body(zero).post("/StreamEvents_transactions").then().statusCode(400)
                .body(containsString("PartitionId"));
        String badTime = zero.replace("\"zero\"", "\"0\"").replace("{\"SequenceNumber\":1}",
                "{\"SequenceNumber\":1,\"EnqueuedTimeUtc\":\"yesterday\"}");
        given().contentType("application/json").body(badTime).post("/StreamEvents_transactions").then().statusCode(400)
                .body(containsString("EnqueuedTimeUtc"));
        given().contentType("application/json").body("{not json").post("/StreamEvents_transactions").then()
                .statusCode(400);
    }

    @Test
    void anOperatorsPauseTakesNothingItCannotCheck() {
        String transactions = "{\"table\":\"transactions\",\"reason\":\"";
        given().contentType("application/json").body(transactions + "r".repeat(501) + "\"}").post("/pausePipeline")
                .then().statusCode(400).body(containsString("'reason' is at most 500 characters"));
        given().contentType("application/json").body(transactions + "r".repeat(70_000) + "\"}").post("/pausePipeline")
                .then().statusCode(413).body(containsString("64 KiB"));
        given().contentType("application/json").body("{\"table\":\"transactions\"").post("/pausePipeline")
                .then().statusCode(400);
        given().contentType("application/json").body("{\"reason\":\"no table\"}").post("/pausePipeline")
                .then().statusCode(400).body(containsString("table"));
        given().contentType("application/json").body("{\"table\":\"../../etc/passwd\"}").post("/pausePipeline")
                .then().statusCode(404).body(containsString("../../etc/passwd"));
        // nothing was paused: every pipeline still consumes, and no state exists for the made-up name
        assertThat(pipelineStates.all().values()).allSatisfy(s -> assertThat(s.pausedBy()).as(s.table()).isNull());
        assertThat(pipelineStates.of("../../etc/passwd")).isNull();
    }
}
