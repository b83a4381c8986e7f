package io.hybridlake.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.WindowQueries;
import io.hybridlake.serving.WindowView;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's Stream Analytics query, written as pipeline YAML:
 *
 * <pre>
 * SELECT customer_id, COUNT(*) AS event_count, System.Timestamp() AS window_end
 * FROM EventHubInput TIMESTAMP BY event_timestamp
 * GROUP BY customer_id, TumblingWindow(minute, 5)
 * </pre>
 *
 * gives the same rows as that query run by an independent SQL engine (H2) over the same events.
 */
class SeedStreamAnalyticsQueryTest {
    static final String YAML = """
            table: customer_events
            fields:
              - {name: event_id, type: string, nullable: false}
              - {name: customer_id, type: string, nullable: false}
              - {name: event_type, type: string}
              - {name: event_timestamp, type: timestamp, nullable: false}
            key: event_id
            event_time: event_timestamp                     # TIMESTAMP BY event_timestamp
            watermark: {out_of_order: 5m, allowed_lateness: 1h}
            windows:
              - name: customer_5m
                type: tumbling                              # TumblingWindow(minute, 5)
                size: 5m
                group_by: [customer_id]                     # GROUP BY customer_id
                aggregates:
                  - {fn: count, as: event_count}            # COUNT(*) AS event_count
            """;

    @TempDir
    Path dir;

    @Test
    void theYamlWindowEqualsTheSqlQuery() throws Exception {
        PipelineSpec spec = PipelineLoader.load("customer_events.yaml", new StringReader(YAML));
        SplittableRandom random = new SplittableRandom(7);
        long base = Instant.parse("2025-03-10T09:00:00Z").getEpochSecond();
        List<SourceRecord> records = new ArrayList<>();
        try (Connection sql = DriverManager.getConnection("jdbc:h2:mem:seed")) {
            try (Statement s = sql.createStatement()) {
                s.execute("CREATE TABLE events (event_id VARCHAR, customer_id VARCHAR, event_type VARCHAR,"
                        + " event_timestamp TIMESTAMP WITH TIME ZONE)");
            }
            try (PreparedStatement insert = sql.prepareStatement("INSERT INTO events VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 2000; i++) {
                    Instant t = Instant.ofEpochSecond(base + i * 3L - random.nextInt(240)); // a little out of order
                    String customer = "cust-" + random.nextInt(12);
                    String json = "{\"event_id\":\"ev" + i + "\",\"customer_id\":\"" + customer
                            + "\",\"event_type\":\"purchase\",\"event_timestamp\":\"" + t + "\"}";
                    records.add(new SourceRecord(i, 0, null, json.getBytes(StandardCharsets.UTF_8), Map.of()));
                    insert.setString(1, "ev" + i);
                    insert.setString(2, customer);
                    insert.setString(3, "purchase");
                    insert.setObject(4, t.atOffset(ZoneOffset.UTC));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            List<String> expected = new ArrayList<>();
            // TumblingWindow(minute, 5): windows aligned to the epoch; System.Timestamp() is the window end.
            try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT customer_id, COUNT(*) AS event_count, (w + 1) * 300 AS window_end
                    FROM (SELECT customer_id, FLOOR(EXTRACT(EPOCH FROM event_timestamp) / 300) AS w FROM events)
                    GROUP BY customer_id, w
                    ORDER BY customer_id, window_end""")) {
                while (rs.next()) {
                    expected.add(rs.getString(1) + " " + rs.getLong(2) + " "
                            + Instant.ofEpochSecond(rs.getBigDecimal(3).longValueExact()));
                }
            }

            List<String> actual = new ArrayList<>();
            try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
                PipelineCatalog catalog = new PipelineCatalog(List.of(spec), "hybridlake.");
                StreamPath path = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(),
                        1 << 20);
                for (int from = 0; from < records.size(); from += 250) {
                    path.process(new EventBatch("hybridlake.customer_events", 0, records.subList(from, from + 250)));
                }
                TreeSet<String> customers = new TreeSet<>();
                expected.forEach(row -> customers.add(row.split(" ")[0]));
                for (String customer : customers) {
                    for (WindowView w : new WindowQueries(catalog, cache).windows("customer_events", "customer_5m",
                            customer, 10_000)) {
                        actual.add(w.key() + " " + w.aggregates().get("event_count").longValue() + " " + w.windowEnd());
                    }
                }
            }
            assertThat(expected).hasSizeGreaterThan(100);
            assertThat(actual).containsExactlyElementsOf(expected);
        }
    }
}
