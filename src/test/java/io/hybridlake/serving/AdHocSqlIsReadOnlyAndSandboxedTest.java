package io.hybridlake.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.HybridlakeException;
import io.hybridlake.batch.Merger;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ad-hoc SQL through embedded DuckDB over the lake's tables by name: answers equal the rows
 * delta-kernel reads (current, as of a version, after schema evolution), and every attempt to write,
 * to read outside the lake, to load extensions or to run forever is refused with a clear error.
 */
class AdHocSqlIsReadOnlyAndSandboxedTest {
    @TempDir
    Path dir;

    private Lake lake;
    private PipelineCatalog catalog;
    private LakeSql sql;
    private long firstVersion;

    @BeforeEach
    void lakeWithTransactions() throws Exception {
        PipelineSpec spec = PipelineLoader.load("transactions.yaml", new StringReader(
                Fixtures.builtin("transactions").text() + "\nschema: {evolution: add-columns}\n"));
        catalog = new PipelineCatalog(List.of(spec), "hybridlake.");
        lake = Lake.local(dir.resolve("lake"));
        try (var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            StreamPath stream = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            List<SourceRecord> first = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                first.add(Fixtures.record(i, Fixtures.transaction(i, "c" + i % 7, i + 0.5, i % 10 == 0 ? "failed" : "completed",
                        Instant.parse("2026-11-24T10:00:00Z").plusSeconds(i * 30L).toString())));
            }
            stream.process(new EventBatch("hybridlake.transactions", 0, first));
            firstVersion = lake.table(TablePath.refinedStream("transactions")).latestVersion();
            List<SourceRecord> second = new ArrayList<>(); // a new field half-way: the table gains a column
            for (int i = 200; i < 260; i++) {
                second.add(Fixtures.record(i, Fixtures.transaction(i, "c" + i % 7, i + 0.5, "completed",
                        Instant.parse("2026-11-24T10:00:00Z").plusSeconds(i * 30L).toString())
                        .replace("}", ",\"channel\":\"web\"}")));
            }
            stream.process(new EventBatch("hybridlake.transactions", 0, second));
            new Merger(lake, System::currentTimeMillis).merge(catalog.table("transactions"));
        }
        sql = new LakeSql(lake, catalog, new DuckDb(dir.resolve("lake").toString(),
                new DuckDb.Limits(1000, Duration.ofSeconds(3), "512MB", 2)));
    }

    @Test
    void answersMatchTheLake() {
        List<Object[]> refined = Fixtures.rows(lake, TablePath.refinedStream("transactions"));
        Map<String, Long> expected = new HashMap<>();
        refined.forEach(r -> expected.merge((String) r[1], 1L, Long::sum));
        LakeSql.Result byCustomer = sql.query("SELECT customer_id, count(*) AS n FROM transactions GROUP BY customer_id", 0);
        Map<String, Long> actual = new HashMap<>();
        byCustomer.rows().forEach(r -> actual.put((String) r.get(0), ((Number) r.get(1)).longValue()));
        assertThat(actual).isEqualTo(expected);
        assertThat(byCustomer.columns()).extracting(LakeSql.ResultColumn::name).containsExactly("customer_id", "n");
        assertThat(byCustomer.tableVersions()).containsKey("transactions");

        // partition values come from the log; the evolved column is null in older files
        LakeSql.Result evolved = sql.query("SELECT count(*), count(channel), min(event_date) FROM refined_stream_transactions",
                0);
        assertThat(evolved.rows().get(0)).containsExactly((long) refined.size(), 60L, "2026-11-24");

        // time travel: the first version has the first batch only, and no channel column
        LakeSql.Result old = sql.query("SELECT count(*) FROM refined_stream_transactions VERSION AS OF " + firstVersion, 0);
        assertThat(old.rows().get(0).get(0)).isEqualTo(180L); // 200 minus the failed (filtered) ones
        assertThatThrownBy(() -> sql.query("SELECT channel FROM refined_stream_transactions VERSION AS OF "
                + firstVersion, 0)).isInstanceOf(HybridlakeException.BadRequest.class).hasMessageContaining("channel");
        LakeSql.Result byTime = sql.query("SELECT count(*) FROM refined_stream_transactions TIMESTAMP AS OF '"
                + Instant.now().plusSeconds(60) + "'", 0);
        assertThat(byTime.rows().get(0).get(0)).isEqualTo((long) refined.size());

        // the unified view: every refined row once, from the batch or the stream layer
        LakeSql.Result unified = sql.query("SELECT source_layer, count(*) FROM unified_transactions GROUP BY 1", 0);
        assertThat(unified.rows().stream().mapToLong(r -> ((Number) r.get(1)).longValue()).sum()).isEqualTo(refined.size());

        // bounded results say so
        LakeSql.Result bounded = sql.query("SELECT * FROM raw_stream_transactions", 10);
        assertThat(bounded.rows()).hasSize(10);
        assertThat(bounded.truncated()).isTrue();
        // a name inside a string literal is text, not a table
        assertThat(sql.query("SELECT 'transactions' AS t", 0).rows().get(0)).containsExactly("transactions");
    }

    @Test
    void writesFilesOutsideTheLakeExtensionsAndRunawayQueriesAreRefused() throws Exception {
        Path outside = Files.writeString(dir.resolve("secret.csv"), "a,b\n1,2\n");
        Map<String, String> refused = new HashMap<>();
        refused.put("INSERT INTO transactions SELECT * FROM transactions", "only read-only queries");
        refused.put("CREATE TABLE x AS SELECT 1", "only read-only queries");
        refused.put("DROP VIEW transactions", "only read-only queries");
        refused.put("COPY (SELECT 1) TO '" + dir.resolve("lake/x.csv") + "'", "only read-only queries");
        refused.put("ATTACH '" + dir.resolve("lake/x.db") + "' AS x", "only read-only queries");
        refused.put("INSTALL httpfs", "only read-only queries");
        refused.put("LOAD httpfs", "only read-only queries");
        refused.put("SET enable_external_access = true", "only read-only queries");
        refused.put("SELECT 1; SELECT 2", "one statement per request");
        refused.put("SELECT * FROM read_csv('/etc/passwd')", "/etc/passwd");
        refused.put("SELECT * FROM read_text('" + outside + "')", "secret.csv");
        refused.put("SELECT * FROM read_json('https://example.com/x.json')", "failed");
        refused.put("SELECT * FROM nope", "nope");
        for (Map.Entry<String, String> attempt : refused.entrySet()) {
            assertThatThrownBy(() -> sql.query(attempt.getKey(), 0)).as(attempt.getKey())
                    .isInstanceOf(HybridlakeException.BadRequest.class).hasMessageContaining(attempt.getValue());
        }
        assertThatThrownBy(() -> sql.query("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT "
                + "count(*) FROM t", 0)).isInstanceOf(HybridlakeException.TimedOut.class)
                .hasMessageContaining("ran longer than the limit of 3 s");
        assertThat(Files.exists(dir.resolve("lake/x.csv"))).isFalse();
        assertThat(Files.exists(dir.resolve("lake/x.db"))).isFalse();
        // still answers after all that
        assertThat(sql.query("SELECT count(*) FROM merged_transactions", 0).rows()).hasSize(1);
    }
}
