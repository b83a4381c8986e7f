package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.lake.CommitHistory;
import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TablePath;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Lineage (issue #7): every commit's {@code commitInfo.operationParameters} says where its rows came
 * from — broker offsets that agree with the commit's own transaction marks, the imported file's name,
 * the upstream versions a merge consumed — and the code version; {@code /lineage} shows a table's
 * upstreams, downstreams and those commits. The commit files are also read as plain JSON, as any
 * Delta reader would see them.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class CommitsRecordTheirLineageTest {
    private static final Pattern OFFSETS = Pattern.compile("([^,\\[]+)\\[(\\d+)\\]:(\\d+)-(\\d+)");

    @Inject
    Lake lake;

    @Test
    void everyCommitSaysWhereItsRowsCameFrom() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.now().minusSeconds(300);
        StringBuilder events = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            events.append(i == 0 ? "" : ",").append(tx(run + "-s" + i, t));
        }
        PlatformClient.ingest("transactions", events.append(']').toString());
        awaitUntil("stream rows refined", () -> rows(lake, TablePath.refinedStream("transactions")).stream()
                .filter(r -> ((String) r[0]).startsWith(run)).count() == 40);
        String file = run + "-lineage.csv";
        given().queryParam("name", file).body(("transaction_id,customer_id,amount,status,transaction_date\n"
                + run + "-b1,c,5,completed," + t + "\n").getBytes(StandardCharsets.UTF_8))
                .post("/tables/transactions/files").then().statusCode(200);
        JsonPath merge = given().contentType(ContentType.JSON).body("{\"table\":\"transactions\"}").post("/merge")
                .then().statusCode(200).extract().jsonPath();

        // stream commits: the offsets named are exactly what the commit's transaction marks say
        LakeTable refined = lake.table(TablePath.refinedStream("transactions"));
        List<CommitHistory.Commit> streamCommits = refined.history(50).stream()
                .filter(c -> "stream".equals(c.parameters().get(CommitLineage.JOB)))
                .filter(c -> !c.operation().equals("CREATE TABLE")).toList(); // the table's creation carries no rows
        assertThat(streamCommits).isNotEmpty();
        for (CommitHistory.Commit c : streamCommits) {
            assertThat(c.parameters()).containsEntry(CommitLineage.PIPELINE, "transactions")
                    .containsEntry(CommitLineage.CODE_VERSION, CommitLineage.codeVersion());
            assertThat(c.engineInfo()).contains("Hybridlake/" + CommitLineage.codeVersion());
            Matcher m = OFFSETS.matcher(c.parameters().get(CommitLineage.SOURCE));
            int ranges = 0;
            while (m.find()) {
                ranges++;
                String appId = "hybridlake:" + m.group(1) + ":" + m.group(2);
                assertThat(Long.parseLong(m.group(3))).isLessThanOrEqualTo(Long.parseLong(m.group(4)));
                assertThat(refined.transactionVersionAt(c.version(), appId)).as("commit %d of %s", c.version(), appId)
                        .isEqualTo(Long.parseLong(m.group(4)));
            }
            assertThat(ranges).as("offset ranges in %s", c.parameters()).isPositive();
        }

        // the import names its file; the merge the source versions it consumed
        CommitHistory.Commit imported = lake.table(TablePath.rawBatch("transactions")).history(1).get(0);
        assertThat(imported.parameters()).containsEntry(CommitLineage.FILE, file)
                .containsEntry(CommitLineage.JOB, "import");
        CommitHistory.Commit merged = lake.table(TablePath.merged("transactions")).history(1).get(0);
        assertThat(merged.version()).isEqualTo(merge.getLong("[0].targetVersion"));
        Map<String, Object> consumed = merge.getMap("[0].sourceVersions");
        assertThat(merged.parameters().get(CommitLineage.UPSTREAM).split(",")).containsExactlyInAnyOrderElementsOf(
                consumed.entrySet().stream().map(e -> e.getKey().substring(e.getKey().indexOf(':') + 1) + "@"
                        + e.getValue()).toList());

        // the same parameters are in the Delta log itself, for any reader (Spark's DESCRIBE HISTORY)
        Path log = Path.of(URI.create(lake.root())).resolve("refined/merged/transactions/_delta_log").resolve(
                String.format("%020d.json", merged.version()));
        JsonNode commitInfo = null;
        for (String line : Files.readAllLines(log)) {
            JsonNode action = new ObjectMapper().readTree(line);
            commitInfo = action.has("commitInfo") ? action.get("commitInfo") : commitInfo;
        }
        assertThat(commitInfo).isNotNull();
        assertThat(commitInfo.at("/operationParameters/" + CommitLineage.UPSTREAM.replace("/", "~1")).asText())
                .isEqualTo(merged.parameters().get(CommitLineage.UPSTREAM));

        // the lineage function: the graph around refined/merged and its commits
        JsonPath lineage = given().queryParam("table", "transactions").queryParam("zone", "refined/merged")
                .queryParam("limit", 3).get("/lineage").then().statusCode(200).extract().jsonPath();
        assertThat(lineage.getList("upstream.name", String.class)).contains("refined/stream/transactions",
                "refined/batch/transactions", "topic:hybridlake.transactions", "landing:transactions");
        assertThat(lineage.getList("downstream.name", String.class)).contains("curated/warehouse/customer_daily_totals");
        assertThat(lineage.getLong("commits[0].version")).isEqualTo(merged.version());
        assertThat(lineage.getList("commits")).hasSizeLessThanOrEqualTo(3);
        JsonPath fromStream = given().queryParam("table", "transactions").get("/lineage").then().statusCode(200)
                .extract().jsonPath();
        assertThat(fromStream.getList("upstream.name", String.class)).containsExactly("topic:hybridlake.transactions");
        assertThat(fromStream.getList("downstream.name", String.class)).contains("refined/merged/transactions");
        given().queryParam("table", "nope").get("/lineage").then().statusCode(404);
    }

    private static String tx(String id, Instant at) {
        return "{\"transaction_id\":\"" + id + "\",\"customer_id\":\"c\",\"amount\":1.5,\"status\":\"completed\","
                + "\"transaction_date\":\"" + at + "\"}";
    }
}
