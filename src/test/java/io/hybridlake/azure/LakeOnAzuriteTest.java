package io.hybridlake.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.HybridlakeException;
import io.hybridlake.RequiredComponent;
import io.hybridlake.batch.Compactor;
import io.hybridlake.batch.Curator;
import io.hybridlake.batch.Merger;
import io.hybridlake.lake.azure.AzureLake;
import io.hybridlake.lake.FileCache;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.serving.sql.SqlTables;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake on Azure Storage's Blob API (what an ADLS Gen2 account serves), against Azurite: the whole
 * table workload — stream appends with several partitions per commit and checkpoints, a batch import,
 * schema evolution, MERGE, compaction, curation, vacuum — gives every table the same versions and the
 * same rows as on the local filesystem, also at past versions (time travel), and the SQL endpoint (DuckDB
 * over bounded local copies of the blobs) answers as it does on disk, deletion vectors and time travel
 * included; two writers racing on the
 * same batches commit each record exactly once (Put Blob with If-None-Match: * is the commit).
 */
class LakeOnAzuriteTest {
    private static final LongSupplier CLOCK = () -> 1_764_000_000_000L; // both runs see the same "now"
    private static final DuckDb.Limits SQL_LIMITS = new DuckDb.Limits(100_000, Duration.ofSeconds(60), "256MB", 1);
    private static final List<TablePath> TABLES = List.of(TablePath.rawStream("transactions"),
            TablePath.refinedStream("transactions"), TablePath.refinedBatch("transactions"),
            TablePath.rawBatch("transactions"), TablePath.merged("transactions"),
            TablePath.of("curated/warehouse", "customer_daily_totals"));

    @TempDir
    Path dir;

    @BeforeAll
    static void azurite() {
        RequiredComponent.require(Azurite.installed(), "Azurite is not installed: the build installs it with npm "
                + "(emulators/install.sh); install Node.js 20+ and npm");
    }

    @Test
    void theTableWorkloadGivesTheSameTablesOnBlobStorageAsOnDisk() throws Exception {
        Azurite azurite = Azurite.shared();
        Map<String, List<String>> local;
        Map<String, Long> localVersions;
        Map<String, List<String>> localPast;
        Map<String, List<String>> localSql;
        try (Lake lake = Lake.local(dir.resolve("lake"))) {
            workload(lake, dir.resolve("local-cache.mv"));
            local = tables(lake, false);
            localVersions = versions(lake);
            localPast = tables(lake, true);
            localSql = sqlAnswers(lake, new DuckDb(dir.resolve("lake").toString(), SQL_LIMITS));
        }
        try (Lake lake = AzureLake.open(Azurite.root("lake-" + UUID.randomUUID().toString().substring(0, 8)),
                Optional.of(azurite.connectionString()), Optional.of(azurite.blobEndpoint()))) {
            lake.checkWritable();
            workload(lake, dir.resolve("azure-cache.mv"));
            assertThat(versions(lake)).isEqualTo(localVersions);
            assertThat(tables(lake, false)).isEqualTo(local);
            assertThat(tables(lake, true)).as("time travel: each table at half its versions").isEqualTo(localPast);
            TablePath merged = TablePath.merged("transactions");
            assertThat(new TableFiles(lake.table(merged)).files(lake.table(merged).latestVersion()))
                    .as("the merged table's latest version has rows deletion vectors mark").anyMatch(f -> f.deletedRows() > 0);
            try (FileCache copies = new FileCache(lake, dir.resolve("sql-copies"), 1L << 30, 4)) {
                Map<String, List<String>> azureSql = sqlAnswers(lake, new DuckDb(copies.directory(), copies::lease,
                        SQL_LIMITS));
                assertThat(azureSql).as("SQL over Blob storage (local copies of the files) and over the local disk, "
                        + "time travel and deletion vectors included").isEqualTo(localSql);
                assertThat(copies.bytes()).as("SQL read copies of the blobs").isPositive();
                // the sandbox reads the copies' directory only: nothing else on this machine
                LakeSql sql = new LakeSql(lake, evolvingCatalog(), new DuckDb(copies.directory(), copies::lease, SQL_LIMITS));
                for (String hostile : List.of("SELECT * FROM read_text('/etc/passwd')",
                        "SELECT * FROM read_parquet('" + dir.resolve("lake") + "/**/*.parquet')")) {
                    assertThatThrownBy(() -> sql.query(hostile, 10)).as(hostile).isInstanceOf(HybridlakeException.class);
                }
                assertThat(localSql.get("SELECT * FROM transactions")).isNotEmpty();
            }
            assertThat(dir.resolve("sql-copies/hybridlake-file-cache")).isEmptyDirectory();
            assertThat(lake.table(TablePath.rawStream("transactions")).history(20))
                    .anyMatch(c -> c.parameters().containsKey("hybridlake.source"));
            assertThat(local.get("refined/stream/transactions")).hasSize(14 * 30);
            assertThat(local.get("refined/merged/transactions")).isNotEmpty();
        }
    }

    @Test
    void twoWritersRacingOnBlobStorageCommitEachRecordOnce() throws Exception {
        Azurite azurite = Azurite.shared();
        String root = Azurite.root("race-" + UUID.randomUUID().toString().substring(0, 8));
        PipelineCatalog catalog = Fixtures.catalog();
        try (Lake a = AzureLake.open(root, Optional.of(azurite.connectionString()), Optional.of(azurite.blobEndpoint()));
                Lake b = AzureLake.open(root, Optional.of(azurite.connectionString()), Optional.of(azurite.blobEndpoint()));
                var cacheA = new MvStoreSpeedCache(dir.resolve("a.mv")); var cacheB = new MvStoreSpeedCache(dir.resolve("b.mv"))) {
            StreamPath first = new StreamPath(a, catalog, cacheA, CLOCK, new StreamMetrics(), 1 << 20);
            StreamPath second = new StreamPath(b, catalog, cacheB, CLOCK, new StreamMetrics(), 1 << 20);
            long[] offsets = new long[2];
            for (int poll = 0; poll < 8; poll++) {
                List<EventBatch> batches = polls(poll, offsets, false);
                CompletableFuture<?> one = CompletableFuture.runAsync(() -> first.process(batches));
                CompletableFuture<?> two = CompletableFuture.runAsync(() -> second.process(batches));
                one.join();
                two.join();
            }
            List<Object[]> refined = Fixtures.rows(a, TablePath.refinedStream("transactions"));
            assertThat(refined.stream().map(r -> (String) r[0]).distinct().count()).isEqualTo(refined.size())
                    .isEqualTo(8 * 30);
            assertThat(Fixtures.rows(b, TablePath.rawStream("transactions"))).hasSize(8 * 30);
        }
    }

    /**
     * The SQL endpoint's answers, sorted, for every SQL name of the pipeline and the merged table at
     * each of its versions (before and after deletion vectors).
     */
    private static Map<String, List<String>> sqlAnswers(Lake lake, DuckDb duckDb) throws Exception {
        PipelineCatalog catalog = evolvingCatalog();
        LakeSql sql = new LakeSql(lake, catalog, duckDb);
        List<String> statements = new ArrayList<>();
        SqlTables.of(catalog).forEach((name, source) -> {
            if (source.path() == null || lake.table(source.path()).latestVersion() >= 0) {
                statements.add("SELECT * FROM " + name);
            }
        });
        for (long v = 0; v <= lake.table(TablePath.merged("transactions")).latestVersion(); v++) {
            statements.add("SELECT * FROM merged_transactions VERSION AS OF " + v);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String statement : statements) {
            List<String> rows;
            try {
                rows = new ArrayList<>(sql.query(statement, 100_000).rows().stream().map(String::valueOf).toList());
            } catch (RuntimeException e) {
                throw new AssertionError(statement + " on " + lake.root() + ": " + e.getMessage(), e);
            }
            rows.sort(null);
            out.put(statement, rows);
        }
        return out;
    }

    /** The oracle test's workload: 14 polls of 2 partitions (checkpoints), a column added, imports, merges. */
    private static void workload(Lake lake, Path cacheFile) throws Exception {
        PipelineCatalog catalog = evolvingCatalog();
        try (var cache = new MvStoreSpeedCache(cacheFile)) {
            StreamPath stream = new StreamPath(lake, catalog, cache, CLOCK, new StreamMetrics(), 1 << 20);
            RecordImporter importer = new RecordImporter(lake, catalog, CLOCK, 1 << 20);
            Merger merger = new Merger(lake, CLOCK);
            long[] offsets = new long[2];
            for (int poll = 0; poll < 14; poll++) {
                List<EventBatch> batches = polls(poll, offsets, poll >= 7);
                stream.process(batches);
                if (poll == 4) {
                    stream.process(batches); // re-delivered: nothing new
                }
                if (poll % 3 == 2) {
                    merger.merge(catalog.table("transactions"));
                }
            }
            List<SourceRecord> updates = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                updates.add(record(i, tx("t" + (i * 7), "c9", 1000 + i, Instant.parse("2025-01-29T01:00:00Z")
                        .plusSeconds(i), "")));
            }
            PipelineSpec spec = catalog.table("transactions");
            importer.importBatch(spec, new EventBatch("file:azure-updates", 0, updates));
            merger.merge(spec);
            new Compactor(lake, merger, 32L << 20, 2).compact(spec);
            merger.merge(spec);
            List<SourceRecord> later = new ArrayList<>();
            for (int i = 0; i < 10; i++) { // rows of the compacted files replaced: deletion vectors at the latest version
                later.add(record(100 + i, tx("t" + (i * 11), "c8", 2000 + i, Instant.parse("2025-01-30T01:00:00Z")
                        .plusSeconds(i), "")));
            }
            importer.importBatch(spec, new EventBatch("file:azure-updates-2", 0, later));
            merger.merge(spec);
            new Curator(lake).curate(spec);
            lake.vacuum(TablePath.merged("transactions"), 0, CLOCK.getAsLong() + 1);
        }
    }

    private static PipelineCatalog evolvingCatalog() {
        PipelineSpec evolving = PipelineLoader.load("transactions.yaml", new StringReader(
                Fixtures.builtin("transactions").text() + "\nschema: {evolution: add-columns}\n"));
        return new PipelineCatalog(List.of(evolving), "hybridlake.");
    }

    private static List<EventBatch> polls(int poll, long[] offsets, boolean withChannel) {
        Instant base = Instant.parse("2025-01-28T23:40:00Z");
        List<EventBatch> batches = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            List<SourceRecord> records = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                int n = poll * 100 + p * 50 + i;
                records.add(record(offsets[p]++, tx("t" + n, "c" + n % 5, n + 0.25, base.plusSeconds(poll * 60L + i),
                        withChannel ? ",\"channel\":\"ch" + n % 3 + "\"" : "")));
            }
            batches.add(new EventBatch("hybridlake.transactions", p, records));
        }
        return batches;
    }

    static SourceRecord record(long offset, String json) {
        return new SourceRecord(offset, CLOCK.getAsLong(), null, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static String tx(String id, String customer, double amount, Instant at, String extra) {
        return "{\"transaction_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"amount\":" + amount
                + ",\"status\":\"completed\",\"transaction_date\":\"" + at + "\"" + extra + "}";
    }

    private static Map<String, Long> versions(Lake lake) {
        Map<String, Long> out = new LinkedHashMap<>();
        TABLES.forEach(t -> out.put(t.relative(), lake.table(t).latestVersion()));
        return out;
    }

    /** Each table's rows, sorted, now or ({@code past}) at half its latest version. */
    private static Map<String, List<String>> tables(Lake lake, boolean past) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (TablePath t : TABLES) {
            long latest = lake.table(t).latestVersion();
            List<String> rows = new ArrayList<>();
            if (latest >= 0) {
                new TableReader(lake.table(t)).forEachRow(past ? OptionalLong.of(latest / 2) : OptionalLong.empty(),
                        r -> rows.add(Arrays.deepToString(r)));
            }
            rows.sort(null);
            out.put(t.relative(), rows);
        }
        return out;
    }
}
