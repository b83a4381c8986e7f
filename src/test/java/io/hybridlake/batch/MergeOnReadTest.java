package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.batch.MergeIsLatestEventWinsTest.Change;
import io.hybridlake.batch.MergeIsLatestEventWinsTest.Sources;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TableLog;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.sql.DuckDb;
import io.hybridlake.serving.sql.LakeSql;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merge-on-read on a real lake: updates and CDC deletes mark the replaced rows in deletion vectors and
 * append the new versions, without rewriting any file; every reader — Kernel scans, row counts, the
 * SQL endpoint (DuckDB over the files), time travel — sees exactly the latest rows and no replaced
 * one; compaction purges deleted rows and vacuum then removes exactly the vectors no version uses; a
 * vector that cannot be read is an error naming table, version and file.
 */
class MergeOnReadTest {
    private static final int KEYS = 300;

    @TempDir
    Path dir;

    /** Balance and tombstone flag by key, as the merge should leave them. */
    private final Map<Long, List<Object>> expected = new TreeMap<>();
    private long lsn;

    private void send(Sources sources, List<Change> changes, boolean viaStream) {
        sources.send(changes, viaStream);
        for (Change c : changes) {
            expected.put(c.id(), Arrays.asList(c.balance(), c.op().equals("d"))); // a tombstone keeps the before image
        }
    }

    /** Three merges: 300 inserts, then 40 updates + 10 deletes, then 30 updates of rows the last merge wrote or marked. */
    private List<Merger.Result> threeMerges(Lake lake, PipelineSpec spec, Sources sources, Merger merger) {
        List<Change> inserts = new ArrayList<>();
        for (long id = 1; id <= KEYS; id++) {
            inserts.add(new Change(id, "c", id, 1_000_000 + id, ++lsn));
        }
        send(sources, inserts, false);
        List<Merger.Result> results = new ArrayList<>();
        results.add(merger.merge(spec));
        List<Change> second = new ArrayList<>();
        for (long id = 5; id <= 200; id += 5) {
            second.add(new Change(id, "u", id + 0.5, 2_000_000 + id, ++lsn));
        }
        for (long id = 3; id <= 300; id += 30) {
            second.add(new Change(id, "d", 0, 2_000_000 + id, ++lsn));
        }
        send(sources, second, true);
        results.add(merger.merge(spec));
        List<Change> third = new ArrayList<>();
        for (long id = 10; id <= 300; id += 10) { // half of them were updated by the second merge
            third.add(new Change(id, "u", id + 0.75, 3_000_000 + id, ++lsn));
        }
        third.add(new Change(1, "u", -1, 10, ++lsn)); // older than the row's event: ignored
        send(sources, third, false);
        expected.put(1L, Arrays.asList(1.0, false));
        results.add(merger.merge(spec));
        return results;
    }

    private static Map<Long, List<Object>> kernelRows(Lake lake, OptionalLong version) {
        Map<Long, List<Object>> rows = new TreeMap<>();
        new TableReader(lake.table(TablePath.merged("accounts"))).forEachRow(version, r -> {
            Long id = (Long) r[0];
            assertThat(rows.put(id, Arrays.asList(r[1], r[r.length - 1]))).as("one row for key %s", id).isNull();
        });
        return rows;
    }

    private Map<Long, List<Object>> sqlRows(LakeSql sql, String from) {
        Map<Long, List<Object>> rows = new TreeMap<>();
        for (List<Object> r : sql.query("SELECT id, balance, _deleted FROM " + from, 0).rows()) {
            assertThat(rows.put((Long) r.get(0), Arrays.asList(r.get(1), r.get(2)))).as("one row for %s", r.get(0))
                    .isNull();
        }
        return rows;
    }

    @Test
    void replacedRowsAreMarkedDeletedAndNoReaderSeesThem() throws IOException {
        PipelineSpec spec = MergeIsLatestEventWinsTest.spec("merge-on-read");
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            Sources sources = new Sources(lake, cache, spec);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            LakeTable merged = lake.table(TablePath.merged("accounts"));
            TableReader reader = new TableReader(merged);
            List<Merger.Result> results = threeMerges(lake, spec, sources, merger);
            Merger.Result first = results.get(0);
            Merger.Result second = results.get(1);
            Merger.Result third = results.get(2);

            assertThat(first.inserted()).isEqualTo(KEYS);
            assertThat(second.updated()).isEqualTo(40);
            assertThat(second.deleted()).isEqualTo(10);
            assertThat(third.updated()).isEqualTo(30);
            assertThat(third.olderIgnored()).isEqualTo(1);
            for (Merger.Result r : List.of(second, third)) {
                assertThat(r.filesRewritten()).as("merge-on-read rewrites no file").isZero();
                assertThat(r.filesWithDeletions()).isPositive();
                assertThat(new TableFiles(merged).filePaths(r.targetVersion())).containsAll(new TableFiles(merged).filePaths(r.targetVersion() - 1));
            }

            // Kernel scan, row count, SQL (DuckDB over the files), the live view: the latest row of every key, once
            assertThat(kernelRows(lake, OptionalLong.empty())).isEqualTo(expected);
            assertThat(reader.info(OptionalLong.empty()).rowCount()).isEqualTo(KEYS);
            LakeSql sql = new LakeSql(lake, new PipelineCatalog(List.of(spec), "hybridlake."), new DuckDb(
                    dir.resolve("lake").toString(), new DuckDb.Limits(100_000, Duration.ofSeconds(30), "256MB", 1)));
            assertThat(sqlRows(sql, "merged_accounts")).isEqualTo(expected);
            long live = expected.values().stream().filter(v -> !(Boolean) v.get(1)).count();
            assertThat(sql.query("SELECT count(*), sum(balance) FROM accounts", 0).rows().get(0)).containsExactly(live,
                    expected.values().stream().filter(v -> !(Boolean) v.get(1)).mapToDouble(v -> (Double) v.get(0)).sum());

            // time travel: the version before the second merge has the original rows, through both readers
            Map<Long, List<Object>> original = new TreeMap<>();
            for (long id = 1; id <= KEYS; id++) {
                original.put(id, Arrays.asList((double) id, false));
            }
            assertThat(kernelRows(lake, OptionalLong.of(first.targetVersion()))).isEqualTo(original);
            assertThat(sqlRows(sql, "merged_accounts VERSION AS OF " + first.targetVersion())).isEqualTo(original);
            assertThat(reader.info(OptionalLong.of(first.targetVersion())).rowCount()).isEqualTo(KEYS);

            // the log says what a Delta reader needs: the feature, the vectors, loose statistics
            StringBuilder log = new StringBuilder();
            for (long v = 0; v <= second.targetVersion(); v++) {
                log.append(Files.readString(dir.resolve("lake").resolve(TablePath.merged("accounts").relative())
                        .resolve(String.format("_delta_log/%020d.json", v))));
            }
            assertThat(log.toString()).contains("\"delta.enableDeletionVectors\":\"true\"").contains("deletionVectors")
                    .contains("\"deletionVector\":{\"storageType\":\"u\"").contains("tightBounds\\\":false");
            assertThat(vectorFiles(merged)).isNotEmpty();
        }
    }

    @Test
    void compactionPurgesDeletedRowsAndVacuumRemovesOnlyUnusedVectors() throws IOException {
        // the 300-row file loses 60 rows (20%): above a 10% purge share
        PipelineSpec spec = PipelineLoader.load("accounts.yaml", new StringReader(MergeIsLatestEventWinsTest.YAML
                + "merge: {mode: merge-on-read, purge_above: 0.1}\n"));
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            Sources sources = new Sources(lake, cache, spec);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            threeMerges(lake, spec, sources, merger);
            LakeTable merged = lake.table(TablePath.merged("accounts"));
            TableReader reader = new TableReader(merged);
            long before = merged.latestVersion();
            assertThat(new TableFiles(merged).files(before)).anyMatch(f -> f.deletionVector() != null);

            // small-file compaction off (files must be under 1 byte): only the purge share chooses files
            Compactor.Result compacted = merger.compact(spec, new Compactor(lake, merger, 1, 2));
            assertThat(compacted.filesCompacted()).isPositive();
            long after = merged.latestVersion();
            assertThat(new TableFiles(merged).files(after)).as("no file keeps deleted rows after the purge")
                    .allMatch(f -> f.deletionVector() == null);
            assertThat(kernelRows(lake, OptionalLong.empty())).isEqualTo(expected);

            // a merge after compaction still finds every key (the index followed the compaction)
            sources.send(List.of(new Change(7, "u", 7.25, 9_000_000, ++lsn)), true);
            expected.put(7L, Arrays.asList(7.25, false));
            assertThat(merger.merge(spec).updated()).isEqualTo(1);
            assertThat(kernelRows(lake, OptionalLong.empty())).isEqualTo(expected);

            Set<String> inUse = new TableLog(merged).deletionVectorFiles(merged.latestVersion(), merged.latestVersion());
            assertThat(inUse).hasSize(1);
            lake.vacuum(TablePath.merged("accounts"), 0, System.currentTimeMillis() + 1);
            assertThat(vectorFiles(merged)).as("exactly the vectors the latest version uses").isEqualTo(inUse);
            assertThat(kernelRows(lake, OptionalLong.empty())).isEqualTo(expected);
        }
    }

    @Test
    void sourceRowsPastTheMemoryBudgetSpillToDiskAndLoseNothing() throws IOException {
        PipelineSpec spec = MergeIsLatestEventWinsTest.spec("merge-on-read");
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            Sources sources = new Sources(lake, cache, spec);
            Merger merger = new Merger(lake, System::currentTimeMillis, 16 * 1024); // ~30 rows per run
            List<Merger.Result> results = threeMerges(lake, spec, sources, merger);
            assertThat(results.get(0).rowsSpilled()).isEqualTo(KEYS);
            assertThat(results.get(1).rowsSpilled()).isPositive();
            assertThat(results.get(2).updated()).isEqualTo(30);
            assertThat(kernelRows(lake, OptionalLong.empty())).isEqualTo(expected);
            try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertThat(left.map(p -> p.getFileName().toString())).as("spill runs are deleted")
                        .noneMatch(n -> n.startsWith("hybridlake-merge-accounts-"));
            }
        }
    }

    @Test
    void aVectorThatCannotBeReadNamesTableVersionAndFile() throws IOException {
        PipelineSpec spec = MergeIsLatestEventWinsTest.spec("merge-on-read");
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            Sources sources = new Sources(lake, cache, spec);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            threeMerges(lake, spec, sources, merger);
            LakeTable merged = lake.table(TablePath.merged("accounts"));
            long version = merged.latestVersion();
            // a vector file the latest version uses (an earlier one may be superseded)
            String victim = new TableLog(merged).deletionVectorFiles(version, version).iterator().next();
            Path file = dir.resolve("lake").resolve(TablePath.merged("accounts").relative()).resolve(victim);
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 2] ^= 0x5A; // corrupt: the checksum no longer matches
            Files.write(file, bytes);
            LakeSql sql = new LakeSql(lake, new PipelineCatalog(List.of(spec), "hybridlake."), new DuckDb(
                    dir.resolve("lake").toString(), new DuckDb.Limits(100_000, Duration.ofSeconds(30), "256MB", 1)));
            assertThatThrownBy(() -> sql.query("SELECT count(*) FROM merged_accounts", 0))
                    .hasMessageContaining(TablePath.merged("accounts").relative()).hasMessageContaining(victim)
                    .hasMessageContaining("version " + version);
            Files.delete(file);
            assertThatThrownBy(() -> merger.compact(spec, new Compactor(lake, merger, 1 << 20, 2)))
                    .hasMessageContaining(victim);
        }
    }

    /** The deletion-vector files in the table's directory, relative to it. */
    static Set<String> vectorFiles(LakeTable table) throws IOException {
        Path root = Path.of(URI.create(table.path().startsWith("file:") ? table.path() : "file:" + table.path()));
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith("deletion_vector_"))
                    .map(p -> root.relativize(p).toString()).collect(Collectors.toSet());
        }
    }
}
