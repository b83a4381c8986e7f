package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.batch.LandingZone;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.ZoneSchemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CSV and NDJSON files, uploaded over HTTP or dropped in the landing zone, go through the same rules
 * as the stream into raw/batch, refined/batch and _rejected; importing the same file again is a no-op.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class FilesImportThroughTheBatchPathTest {
    @Inject
    LandingZone landingZone;

    @Inject
    Lake lake;

    @Test
    void aCsvUploadIsImportedOnceWithBadRowsRejected() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String csv = "transaction_id,customer_id,amount,currency,status,region,transaction_date\n"
                + run + "-1,c1,10.50,EUR,completed,eu,2024-03-01T10:00:00Z\n"
                + run + "-2,\"c2, Ltd\",20,EUR,completed,,2024-03-02T11:00:00Z\n"
                + run + "-3,c3,lots,EUR,completed,eu,2024-03-03T12:00:00Z\n"
                + run + "-4,c4,5,EUR,pending,eu,2024-03-04T13:00:00Z\n";
        JsonPath first = upload("transactions", run + ".csv", csv);
        assertThat(first.getLong("records")).isEqualTo(4);
        assertThat(first.getLong("refined")).isEqualTo(2);
        assertThat(first.getLong("filtered")).isEqualTo(1);
        assertThat(first.getLong("rejected")).isEqualTo(1);
        assertThat(first.getBoolean("alreadyImported")).isFalse();

        List<Object[]> refined = rows(lake, TablePath.refinedBatch("transactions")).stream()
                .filter(r -> ((String) r[0]).startsWith(run)).toList();
        assertThat(refined).extracting(r -> r[0] + "|" + r[1] + "|" + r[2] + "|" + r[5])
                .containsExactlyInAnyOrder(run + "-1|c1|10.5|eu", run + "-2|c2, Ltd|20.0|null");
        int reason = ZoneSchemas.REJECTED.indexOf("reason");
        assertThat(rows(lake, TablePath.rejected("transactions")).stream().map(r -> (String) r[reason])
                .filter(r -> r.contains("lots"))).singleElement().asString().contains("amount");
        assertThat(rows(lake, TablePath.rawBatch("transactions")).stream()
                .filter(r -> new String((byte[]) r[5], StandardCharsets.UTF_8).contains(run))).hasSize(4);

        JsonPath again = upload("transactions", "renamed-" + run + ".csv", csv);
        assertThat(again.getBoolean("alreadyImported")).isTrue();
        assertThat(rows(lake, TablePath.refinedBatch("transactions")).stream()
                .filter(r -> ((String) r[0]).startsWith(run))).hasSize(2);
        assertThat(given().get("/imports").then().statusCode(200).extract().jsonPath()
                .getString("'" + first.getString("source") + "'.state")).isEqualTo("done");
    }

    @Test
    void aFileDroppedInTheLandingZoneIsImportedAndMovedAside() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path dir = Path.of(URI.create(landingZone.directory("user_events")));
        Files.createDirectories(dir);
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            ndjson.append("{\"event_id\":\"").append(run).append('-').append(i).append("\",\"event_type\":\"click\",")
                    .append("\"user_id\":\"u").append(i % 3).append("\",\"event_timestamp\":\"2023-07-0")
                    .append(1 + i % 9).append("T08:00:00Z\"}\n");
        }
        ndjson.append("{not json}\n");
        Path staged = dir.resolve("." + run + ".tmp");
        Files.writeString(staged, ndjson);
        Files.move(staged, dir.resolve(run + ".ndjson")); // appears whole, as a copy tool should do it

        awaitUntil("the file moved to _imported", () -> Files.exists(dir.resolve("_imported").resolve(run + ".ndjson")));
        assertThat(rows(lake, TablePath.refinedBatch("user_events")).stream()
                .filter(r -> ((String) r[0]).startsWith(run))).hasSize(120);
        assertThat(rows(lake, TablePath.rejected("user_events")).stream()
                .filter(r -> new String((byte[]) r[5], StandardCharsets.UTF_8).equals("{not json}"))).isNotEmpty();
    }

    private static JsonPath upload(String table, String name, String body) {
        return given().queryParam("name", name).body(body.getBytes(StandardCharsets.UTF_8))
                .post("/tables/" + table + "/files").then().statusCode(200).extract().jsonPath();
    }
}
