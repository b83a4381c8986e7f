package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.DataFile;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.SpeedCache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Operations on the stream output (issue #7's replay and rebuild commands), through HTTP:
 * <ul>
 * <li>{@code /replay} after a pipeline change (a derived column's rounding) recomputes the rows from the
 * offset on with the new definition, while raw and refined still hold every event exactly once (no
 * (partition, offset) twice, same totals) and the windows count the same; the rewound rows are marked
 * in deletion vectors, no file is rewritten;
 * <li>{@code /rebuildSpeedCache} after the cache lost the table's windows gives back the same windows.
 * </ul>
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class ReplayReprocessesWithTheCurrentPipelineTest {
    private static final int EVENTS = 120;

    @Inject
    Lake lake;

    @Inject
    PipelineCatalog catalog;

    @Inject
    SpeedCache cache;

    @Test
    void replayAppliesTheCurrentPipelineAndRebuildRestoresTheWindows() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        runPrefix = run + "-";
        Instant t = Instant.now().minusSeconds(60);
        StringBuilder events = new StringBuilder("[");
        for (int i = 0; i < EVENTS; i++) {
            events.append(i == 0 ? "" : ",").append("{\"transaction_id\":\"").append(run).append('-').append(i)
                    .append("\",\"customer_id\":\"").append(run).append("-c").append(i % 6).append("\",\"amount\":")
                    .append(10 + i + 0.37).append(",\"status\":\"completed\",\"transaction_date\":\"")
                    .append(t.plusMillis(i)).append("\"}");
        }
        PlatformClient.ingest("transactions", events.append(']').toString());
        awaitUntil("the run refined", () -> runRows().size() == EVENTS);
        Map<String, List<String>> windowsBefore = windows(run);
        int rawBefore = rows(lake, TablePath.rawStream("transactions")).size();
        int refinedBefore = rows(lake, TablePath.refinedStream("transactions")).size();
        assertThat(runRows()).allSatisfy(r -> assertThat(amountRounded(r)).isEqualTo(Math.round(amount(r) * 100) / 100.0));

        Map<Integer, Long> firstOffset = new TreeMap<>(); // per partition, this run's first offset
        for (Object[] r : runRows()) {
            firstOffset.merge((Integer) r[column("_source_partition")], (Long) r[column("_source_offset")], Math::min);
        }
        LakeTable refined = lake.table(TablePath.refinedStream("transactions"));
        Set<String> filesBefore = new TableFiles(refined).filePaths(refined.latestVersion());
        PipelineSpec original = catalog.table("transactions");
        PipelineSpec changed = PipelineLoader.load(original.sourceFile(),
                new StringReader(original.text().replace("round(amount, 2)", "round(amount, 0)")));
        assertThat(changed.text()).isNotEqualTo(original.text());
        catalog.replace(changed);
        try {
            for (Map.Entry<Integer, Long> p : firstOffset.entrySet()) {
                JsonPath replay = given().contentType(ContentType.JSON).body("{\"table\":\"transactions\",\"fromOffset\":"
                        + p.getValue() + ",\"partition\":" + p.getKey() + "}").post("/replay").then().statusCode(200)
                        .extract().jsonPath();
                assertThat(replay.getLong("partitions[0].records")).isPositive();
                assertThat(replay.getLong("speedLayer.rows")).isEqualTo(refinedBefore);
            }
        } finally {
            catalog.replace(original);
        }

        // merge-on-read (the pipeline's default mode): the rewound rows are marked, no file is rewritten
        List<DataFile> filesAfter = new TableFiles(refined).files(refined.latestVersion());
        assertThat(filesAfter.stream().map(DataFile::path).toList()).containsAll(filesBefore);
        assertThat(filesAfter.stream().filter(f -> filesBefore.contains(f.path())).mapToLong(DataFile::deletedRows).sum())
                .isEqualTo(EVENTS);
        List<Object[]> after = runRows();
        assertThat(after).hasSize(EVENTS).allSatisfy(r -> assertThat(amountRounded(r)).isEqualTo((double) Math.round(amount(r))));
        assertThat(uniqueSources(TablePath.rawStream("transactions"), 1, 2)).isEqualTo(rawBefore);
        assertThat(uniqueSources(TablePath.refinedStream("transactions"), column("_source_partition"),
                column("_source_offset"))).isEqualTo(refinedBefore);
        assertThat(windows(run)).isEqualTo(windowsBefore);

        // the speed cache loses the table's windows; the rebuild from the lake gives them back
        assertThat(cache.removeWindows("transactions")).isPositive();
        assertThat(windows(run).values()).allSatisfy(w -> assertThat(w).isEmpty());
        JsonPath rebuilt = given().contentType(ContentType.JSON).body("{\"table\":\"transactions\"}")
                .post("/rebuildSpeedCache").then().statusCode(200).extract().jsonPath();
        assertThat(rebuilt.getLong("rows")).isEqualTo(refinedBefore);
        assertThat(windows(run)).isEqualTo(windowsBefore);

        given().contentType(ContentType.JSON).body("{\"table\":\"transactions\"}").post("/replay").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"table\":\"nope\",\"fromOffset\":0}").post("/replay").then()
                .statusCode(404);
    }

    /** Rows of the table, each checked to be there once by (partition, offset); returns how many. */
    private int uniqueSources(TablePath table, int partitionColumn, int offsetColumn) {
        List<Object[]> all = rows(lake, table);
        Set<String> seen = new HashSet<>();
        for (Object[] r : all) {
            assertThat(seen.add(r[partitionColumn] + ":" + r[offsetColumn])).as("%s has %s:%s twice", table,
                    r[partitionColumn], r[offsetColumn]).isTrue();
        }
        return all.size();
    }

    /** Per customer of the run: its windows' start, count and aggregates. */
    private static Map<String, List<String>> windows(String run) {
        Map<String, List<String>> out = new HashMap<>();
        for (int c = 0; c < 6; c++) {
            List<Map<String, Object>> views = given().queryParam("table", "transactions").queryParam("window", "customer_5m")
                    .queryParam("key", run + "-c" + c).get("/windows").then().statusCode(200).extract().jsonPath().getList("$");
            List<String> described = new ArrayList<>();
            views.forEach(v -> described.add(v.get("windowStart") + " " + v.get("count") + " " + v.get("aggregates")));
            out.put(run + "-c" + c, described);
        }
        return out;
    }

    private List<Object[]> runRows() {
        return rows(lake, TablePath.refinedStream("transactions")).stream()
                .filter(r -> ((String) r[0]).startsWith(runPrefix)).toList();
    }

    private String runPrefix = "";

    private int column(String name) {
        return lake.table(TablePath.refinedStream("transactions")).schema().orElseThrow().indexOf(name);
    }

    private double amount(Object[] r) {
        return (Double) r[column("amount")];
    }

    private double amountRounded(Object[] r) {
        return (Double) r[column("amount_rounded")];
    }
}
