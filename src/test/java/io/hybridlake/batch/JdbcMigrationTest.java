package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's Phase 3 migration from a relational database, against a real PostgreSQL server (Debian's
 * package, started by the test; {@code .ci/run} installs it) and an embedded H2 database: every row
 * through the rules, bad rows rejected with the reason, a re-run of the same run does nothing, a new
 * run imports again.
 */
class JdbcMigrationTest {
    @TempDir
    Path dir;

    @Test
    void aLegacyPostgresTableIsCopiedOnceThroughThePipelineRules() throws Exception {
        Assertions.assertTrue(LocalPostgres.binaries().isPresent(),
                "PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)");
        try (LocalPostgres pg = LocalPostgres.start()) {
            migrate(pg.url("postgres"), "hybridlake", "");
        }
    }

    @Test
    void aLegacyH2TableIsCopiedOnceThroughThePipelineRules() throws Exception {
        migrate("jdbc:h2:mem:legacy;DB_CLOSE_DELAY=-1", "sa", "");
    }

    private void migrate(String url, String user, String password) throws Exception {
        int rows = 120_000; // more than two chunks
        JdbcUrlPolicy.Allowed allowed = JdbcUrlPolicy.check("legacy", url);
        try (Connection db = JdbcImporter.connect(allowed.driverClass(), url, Optional.of(user), Optional.of(password))) {
            try (Statement st = db.createStatement()) {
                st.execute("CREATE TABLE legacy_tx (transaction_id VARCHAR(20) PRIMARY KEY, customer_id VARCHAR(20),"
                        + " amount DECIMAL(12,2), currency CHAR(3), status VARCHAR(10), region VARCHAR(10),"
                        + " transaction_date TIMESTAMP)");
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO legacy_tx VALUES (?, ?, ?, 'EUR', ?, 'eu', ?)")) {
                for (int i = 0; i < rows; i++) {
                    insert.setString(1, String.format("old-%06d", i));
                    insert.setString(2, "c" + i % 97);
                    insert.setBigDecimal(3, new BigDecimal(i % 10 == 9 ? "-1.00" : (i % 500) + ".25"));
                    insert.setString(4, "completed");
                    insert.setTimestamp(5, Timestamp.valueOf(LocalDateTime.of(2019, 6, 1, 12, 0).plusMinutes(i)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (Lake lake = Lake.local(dir.resolve("lake"))) {
                PipelineCatalog catalog = new PipelineCatalog(List.of(Fixtures.builtin("transactions")), "hybridlake.");
                JdbcSources sources = new JdbcSources(Map.of("legacy", new JdbcSources.Source("legacy", url,
                        Optional.of(user), Optional.of(password))));
                JdbcImporter importer = new JdbcImporter(catalog, sources, new RecordImporter(lake, catalog, System::currentTimeMillis,
                        1 << 20),
                        System::currentTimeMillis);
                BatchIngestor.Result first = importer.importTable("transactions", "legacy", "legacy_tx", null);
                assertThat(first.records()).isEqualTo(rows);
                assertThat(first.rejected()).isEqualTo(rows / 10); // the negative amounts
                assertThat(first.refined()).isEqualTo(rows - rows / 10);
                List<Object[]> refined = Fixtures.rows(lake, TablePath.refinedBatch("transactions"));
                assertThat(refined).hasSize(rows - rows / 10).anySatisfy(r -> {
                    assertThat(r[0]).isEqualTo("old-000000");
                    assertThat(r[2]).isEqualTo(0.25);
                    assertThat(r[6]).isEqualTo(1_559_390_400_000_000L); // 2019-06-01T12:00Z in micros
                });
                assertThat(Fixtures.rows(lake, TablePath.rawBatch("transactions"))).hasSize(rows);

                BatchIngestor.Result again = importer.importTable("transactions", "legacy", "legacy_tx", null);
                assertThat(again.alreadyImported()).isTrue();
                assertThat(Fixtures.rows(lake, TablePath.refinedBatch("transactions"))).hasSize(rows - rows / 10);

                BatchIngestor.Result second = importer.importTable("transactions", "legacy", "legacy_tx", "rerun-2");
                assertThat(second.alreadyImported()).isFalse();
                assertThat(Fixtures.rows(lake, TablePath.rawBatch("transactions"))).hasSize(2 * rows);
            }
        }
    }
}
