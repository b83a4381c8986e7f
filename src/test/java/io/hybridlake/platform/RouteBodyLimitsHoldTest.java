package io.hybridlake.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Each route's body limit holds under the platform's own global limit (64 MiB here): the HTTP layer
 * reads a body before a route's BodyHandler sees it, which then let /sql take 2 MiB and the operator
 * routes 70 KB ({@code BodyLimit}). Below the limits the same routes answer.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class RouteBodyLimitsHoldTest {
    @Test
    void bodiesPastARoutesOwnLimitAre413() {
        given().contentType("text/plain").body("SELECT 1 -- " + "x".repeat(2 << 20)).post("/sql").then()
                .statusCode(413).body(containsString("/sql 1 MiB"));
        given().contentType("text/plain").body("SELECT 1").post("/sql").then().statusCode(200);
        given().contentType("application/json").body("{\"table\":\"transactions\",\"reason\":\"" + "r".repeat(70_000) + "\"}")
                .post("/resumePipeline").then().statusCode(413).body(containsString("operator routes 64 KiB"));
    }
}
