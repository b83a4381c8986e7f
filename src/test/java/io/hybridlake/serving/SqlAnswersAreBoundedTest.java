package io.hybridlake.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.Lake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.stream.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile queries end with a clear error instead of exhausting the JVM that also runs the stream:
 * answers are capped in bytes as well as rows, a query past its time is cancelled (504), queries
 * beyond the concurrency limit wait and then get a 429, and nested values come back as JSON.
 */
class SqlAnswersAreBoundedTest {
    @TempDir
    Path dir;

    private Lake lake;
    private PipelineCatalog catalog;

    @BeforeEach
    void emptyLake() {
        lake = Lake.local(dir.resolve("lake"));
        catalog = new PipelineCatalog(List.of(Fixtures.builtin("transactions")), "hybridlake.");
    }

    private LakeSql sql(DuckDb.Limits limits) {
        return new LakeSql(lake, catalog, new DuckDb(dir.resolve("lake").toString(), limits));
    }

    @Test
    void anAnswerPastTheByteLimitIsRefusedNotHeld() {
        LakeSql sql = sql(new DuckDb.Limits(10_000, 1 << 20, Duration.ofSeconds(20), "256MB", 1, 2, Duration.ofSeconds(1)));
        assertThatThrownBy(() -> sql.query("SELECT repeat('x', 5000000) FROM range(200)", 0))
                .isInstanceOf(HybridlakeException.TooLarge.class).hasMessageContaining("1048576 bytes")
                .hasMessageContaining("hybridlake.sql.max-result-bytes");
        assertThatThrownBy(() -> sql.query("SELECT repeat('x', 200000000)", 0))
                .isInstanceOf(HybridlakeException.class).hasMessageNotContaining(dir.toString());
        LakeSql.Result small = sql.query("SELECT repeat('x', 1000) AS s FROM range(100)", 0);
        assertThat(small.rows()).hasSize(100);
        LakeSql.Result ordered = sql.query("SELECT range AS n FROM range(5000) ORDER BY range DESC -- newest first", 3);
        assertThat(ordered.rows()).containsExactly(List.of(4999L), List.of(4998L), List.of(4997L));
        assertThat(ordered.truncated()).isTrue();
    }

    @Test
    void aQueryPastItsTimeIsCancelledAsATimeout() {
        LakeSql sql = sql(new DuckDb.Limits(10, 1 << 20, Duration.ofMillis(500), "256MB", 1, 2, Duration.ofSeconds(1)));
        assertThatThrownBy(() -> sql.query("SELECT count(*) FROM range(100000000000) a, range(10) b", 0))
                .isInstanceOf(HybridlakeException.TimedOut.class).hasMessageContaining("hybridlake.sql.timeout");
    }

    @Test
    void queriesBeyondTheConcurrencyLimitGetTooBusy() {
        DuckDb duckDb = new DuckDb(dir.resolve("lake").toString(),
                new DuckDb.Limits(10, 1 << 20, Duration.ofSeconds(5), "256MB", 1, 1, Duration.ofMillis(200)));
        LakeSql sql = new LakeSql(lake, catalog, duckDb);
        CompletableFuture<Object> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return sql.query("SELECT count(*) FROM range(100000000000) a, range(10) b", 0);
            } catch (HybridlakeException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> duckDb.running() == 1);
        assertThatThrownBy(() -> sql.query("SELECT 1", 0)).isInstanceOfSatisfying(HybridlakeException.TooBusy.class,
                busy -> assertThat(busy.retryAfterSeconds()).isPositive());
        assertThat(slow.join()).isInstanceOf(HybridlakeException.TimedOut.class);
        assertThat(duckDb.running()).isZero();
        assertThat(sql.query("SELECT 1 AS one", 0).rows()).containsExactly(List.of(1));
    }

    @Test
    void nestedValuesComeBackAsJson() {
        LakeSql sql = sql(new DuckDb.Limits(10, Duration.ofSeconds(10), "256MB", 1));
        LakeSql.Result r = sql.query("SELECT [1, 2] AS l, {'a': 1, 'b': 'x'} AS s, MAP {'k': 2} AS m, "
                + "MAP {1: 'one'} AS n, [{'x': [3]}] AS deep", 0);
        List<Object> row = r.rows().get(0);
        assertThat(row.get(0)).isEqualTo(List.of(1, 2));
        assertThat(row.get(1)).isEqualTo(Map.of("a", 1, "b", "x"));
        assertThat(row.get(2)).isEqualTo(Map.of("k", 2));
        assertThat(row.get(3)).isEqualTo(List.of(Map.of("key", 1, "value", "one")));
        assertThat(row.get(4)).isEqualTo(List.of(Map.of("x", List.of(3))));
    }
}
