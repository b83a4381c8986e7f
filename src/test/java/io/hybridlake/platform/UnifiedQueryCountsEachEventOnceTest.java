package io.hybridlake.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.batch.Merger;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.PipelineCatalog;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Pattern 1's promise, through the real broker and tables: while events stream in and merges run
 * back to back, every unified answer for an account counts each of its events once — never fewer than
 * the events completed before the query began (in raw, the completion record), never more than
 * refined holds after it — and its batch part is exactly the merged version it names, cut at its
 * batch watermark. Once ingestion and a last merge are done, the answer is every event.
 */
@QuarkusTest
@WithTestResource(LocalPlatformResource.class)
class UnifiedQueryCountsEachEventOnceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCHES = 40;
    private static final int PER_BATCH = 60;
    private static final int ACCOUNTS = 3;

    @Inject
    Merger merger;

    @Inject
    PipelineCatalog catalog;

    @Inject
    Lake lake;

    private record Check(String account, long rawVersion, long refinedVersion, JsonPath answer) {
    }

    @Test
    void everyAnswerCountsEachEventOnceWhileStreamingAndMerging() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant base = Instant.parse("2030-01-01T00:00:00Z");
        AtomicBoolean produced = new AtomicBoolean();
        AtomicInteger merges = new AtomicInteger();
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int b = 0; b < BATCHES; b++) {
                StringBuilder events = new StringBuilder("[");
                for (int i = 0; i < PER_BATCH; i++) {
                    int n = b * PER_BATCH + i;
                    // two seconds apart, shuffled within the 10 s out-of-order tolerance: nothing is late
                    Instant at = base.plusSeconds(2L * n + (n % 5 == 0 ? -6 : 0));
                    events.append(i == 0 ? "" : ",").append("{\"entry_id\":\"").append(run).append('-').append(n)
                            .append("\",\"account\":\"").append(account(run, n)).append("\",\"amount\":").append(1 + n % 3)
                            .append(",\"booked_at\":\"").append(at).append("\"}");
                }
                PlatformClient.ingest("ledger", events.append(']').toString());
            }
            produced.set(true);
        });
        int total = BATCHES * PER_BATCH;
        AtomicBoolean streamed = new AtomicBoolean();
        CompletableFuture<Void> merging = CompletableFuture.runAsync(() -> {
            int afterStreamed = 0;
            while (afterStreamed < 3) { // merges until every event streamed, then a few more
                merger.merge(catalog.table("ledger"));
                merges.incrementAndGet();
                if (streamed.get()) {
                    afterStreamed++;
                } else if (produced.get() && new Rows().rawCount(latest(TablePath.rawStream("ledger")), null) >= total) {
                    streamed.set(true);
                }
            }
        });

        List<Check> checks = new ArrayList<>();
        for (int q = 0; !merging.isDone() || q < 30; q++) {
            String account = account(run, q);
            long raw = latest(TablePath.rawStream("ledger"));
            JsonPath answer = unified(account);
            checks.add(new Check(account, raw, latest(TablePath.refinedStream("ledger")), answer));
        }
        producer.join();
        merging.join();

        Rows rows = new Rows();
        int withBatch = 0;
        for (Check c : checks) {
            long events = c.answer().getLong("events");
            long completedBefore = rows.rawCount(c.rawVersion(), c.account());
            long committedAfter = rows.refinedCount(c.refinedVersion(), c.account(), Long.MIN_VALUE);
            assertThat(events).as("answer for %s (raw v%d, refined v%d): %s", c.account(), c.rawVersion(),
                    c.refinedVersion(), c.answer().prettify()).isBetween(completedBefore, committedAfter);
            long mergedVersion = c.answer().getLong("freshness.mergedVersion");
            String watermark = c.answer().getString("freshness.batchWatermark");
            long batchPart = c.answer().getList("windows.findAll { it.layer == 'batch' }.count", Long.class).stream()
                    .mapToLong(Long::longValue).sum();
            long expectedBatch = mergedVersion < 0 || watermark == null ? 0
                    : rows.mergedCount(mergedVersion, c.account(), Instant.parse(watermark));
            assertThat(batchPart).as("batch part of %s at merged v%d before %s", c.account(), mergedVersion, watermark)
                    .isEqualTo(expectedBatch);
            withBatch += batchPart > 0 ? 1 : 0;
        }
        assertThat(withBatch).as("answers that used the batch view; last: %s", checks.get(checks.size() - 1).answer()
                .prettify()).isPositive();
        assertThat(merges.get()).isGreaterThanOrEqualTo(5);

        for (int a = 0; a < ACCOUNTS; a++) {
            JsonPath answer = unified(run + "-acct" + a);
            assertThat(answer.getLong("events")).isEqualTo(total / ACCOUNTS);
            assertThat(answer.getDouble("totals.total")).isEqualTo(expectedTotal(a, total));
        }
    }

    private static String account(String run, int n) {
        return run + "-acct" + (n % ACCOUNTS);
    }

    private static double expectedTotal(int account, int total) {
        double sum = 0;
        for (int n = account; n < total; n += ACCOUNTS) {
            sum += 1 + n % 3;
        }
        return sum;
    }

    private static JsonPath unified(String account) {
        return given().queryParam("window", "account_1m").queryParam("key", account).get("/tables/ledger/unified")
                .then().statusCode(200).extract().jsonPath();
    }

    private long latest(TablePath path) {
        var table = lake.table(path);
        return table.exists() ? table.latestVersion() : -1;
    }

    /** Rows of the ledger tables at given versions, read once per version. */
    private final class Rows {
        private final Map<String, List<Object[]>> cache = new HashMap<>();

        private List<Object[]> at(TablePath path, long version, TableSchema[] schema) {
            if (version < 0) {
                return List.of();
            }
            return cache.computeIfAbsent(path.relative() + "@" + version, k -> {
                List<Object[]> out = new ArrayList<>();
                schema[0] = new TableReader(lake.table(path)).forEachRow(OptionalLong.of(version), out::add);
                return out;
            });
        }

        /** Events of {@code account} (all when null) completed in raw at {@code version}. */
        long rawCount(long version, String account) {
            long n = 0;
            for (Object[] r : at(TablePath.rawStream("ledger"), version, new TableSchema[1])) {
                try {
                    String a = JSON.readTree((byte[]) r[5]).path("account").asText();
                    if (account == null ? a.contains("-acct") : a.equals(account)) {
                        n++;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return n;
        }

        long refinedCount(long version, String account, long fromMicros) {
            return at(TablePath.refinedStream("ledger"), version, new TableSchema[1]).stream()
                    .filter(r -> account.equals(r[1]) && (Long) r[3] >= fromMicros).count();
        }

        long mergedCount(long version, String account, Instant before) {
            long cut = before.getEpochSecond() * 1_000_000L;
            return at(TablePath.merged("ledger"), version, new TableSchema[1]).stream()
                    .filter(r -> account.equals(r[1]) && (Long) r[3] < cut).count();
        }
    }
}
