package io.hybridlake.platform;

import static io.restassured.RestAssured.given;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.Fixtures;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/** What the platform tests do through the public API, and how they read the lake back. */
final class PlatformClient {
    private PlatformClient() {
    }

    static void ingest(String table, String jsonArrayOfEvents) {
        given().contentType(ContentType.JSON).body("{\"table\":\"" + table + "\",\"events\":" + jsonArrayOfEvents + "}")
                .post("/ingest").then().statusCode(200);
    }

    static void ingestNdjson(String table, String ndjson) {
        given().contentType("application/x-ndjson").body(ndjson.getBytes(StandardCharsets.UTF_8)).post("/tables/" + table + "/events").then()
                .statusCode(202);
    }

    static List<Object[]> rows(Lake lake, TablePath table) {
        return Fixtures.rows(lake, table);
    }


    /** Polls until the condition holds (the stream path is asynchronous); fails after the timeout. */
    static void awaitUntil(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }
}
