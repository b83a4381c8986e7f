package io.hybridlake.platform;

import static io.hybridlake.platform.PlatformClient.awaitUntil;
import static io.hybridlake.platform.PlatformClient.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.ZoneSchemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Through the real broker: a transaction two hours behind its partition's watermark lands in
 * {@code _late/transactions} with how late it was; a re-sent transaction is counted once and its
 * copy is in {@code _rejected} naming the first occurrence; on-time events are in refined and the
 * windows exactly once.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class LateAndDuplicateEventsThroughTheBrokerTest {
    @Inject
    Lake lake;

    @ConfigProperty(name = "hybridlake.broker.partitions")
    int partitions;

    @Test
    void lateEventsAreKeptApartAndDuplicatesCountOnce() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String customer = run + "-c";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> onTime = new ArrayList<>();
        Set<Integer> partitionsWithEvents = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String id = run + "-" + i;
            onTime.add(transaction(id, customer, i, now.minusSeconds(i)));
            partitionsWithEvents.add(partitionOf(id));
        }
        PlatformClient.ingest("transactions", "[" + String.join(",", onTime) + "]");
        awaitUntil("on-time events refined", () -> refinedIds(run).size() == 20);

        // late only relative to a partition that has seen this run's events (watermarks are per partition)
        String lateId = run + "-late";
        for (int k = 0; !partitionsWithEvents.contains(partitionOf(lateId)); k++) {
            lateId = run + "-late" + k;
        }
        String late = transaction(lateId, customer, 99, now.minus(2, ChronoUnit.HOURS));
        String resent = onTime.get(5);
        PlatformClient.ingest("transactions", "[" + late + "," + resent + "]");
        String lateIdFinal = lateId;
        awaitUntil("the late event in _late", () -> rows(lake, TablePath.late("transactions")).stream()
                .anyMatch(r -> lateIdFinal.equals(r[0])));
        awaitUntil("the duplicate in _rejected", () -> duplicateReasons(run).size() == 1);

        Object[] lateRow = rows(lake, TablePath.late("transactions")).stream()
                .filter(r -> lateIdFinal.equals(r[0])).findFirst().orElseThrow();
        long lateByMs = (Long) lateRow[lateRow.length - 1];
        assertThat(lateByMs).isGreaterThan(7_000_000L); // two hours minus the 30 s out-of-order tolerance, at least
        assertThat(duplicateReasons(run).get(0)).contains(run + "-5").contains("already accepted from hybridlake.transactions:");
        assertThat(refinedIds(run)).hasSize(20).doesNotContain(lateIdFinal);

        JsonPath windows = given().queryParam("table", "transactions").queryParam("window", "customer_5m")
                .queryParam("key", customer).get("/windows").then().statusCode(200).extract().jsonPath();
        assertThat(windows.getList("count", Long.class).stream().mapToLong(Long::longValue).sum()).isEqualTo(20);

        JsonPath status = given().get("/streamStatus").then().statusCode(200).extract().jsonPath();
        assertThat(status.getLong("late")).isGreaterThanOrEqualTo(1);
        assertThat(status.getLong("duplicates")).isGreaterThanOrEqualTo(1);
        assertThat(status.getMap("watermarks.transactions")).isNotEmpty();
    }

    /** The partition the platform's producer picks for a key (Kafka's default: murmur2 of the key bytes). */
    private int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static String transaction(String id, String customer, double amount, Instant at) {
        return "{\"transaction_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"amount\":" + amount
                + ",\"status\":\"completed\",\"transaction_date\":\"" + at + "\"}";
    }

    private Set<String> refinedIds(String run) {
        Set<String> ids = new HashSet<>();
        rows(lake, TablePath.refinedStream("transactions")).stream().map(r -> (String) r[0])
                .filter(id -> id.startsWith(run)).forEach(id -> assertThat(ids.add(id)).as("one row per id").isTrue());
        return ids;
    }

    private List<String> duplicateReasons(String run) {
        int reason = ZoneSchemas.REJECTED.indexOf("reason");
        return rows(lake, TablePath.rejected("transactions")).stream().map(r -> (String) r[reason])
                .filter(r -> r.startsWith("duplicate") && r.contains(run)).toList();
    }
}
