package io.hybridlake.lake;

import static io.hybridlake.stream.Fixtures.record;
import static io.hybridlake.stream.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.batch.Merger;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.WindowState;
import io.hybridlake.stream.DeltaLogReplay;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage faults (issue #7): the lake's storage fails, times out or loses the response of a write at
 * random ({@link FaultyFileIO}) while the stream path appends 30 batches and MERGE runs. A failed batch
 * surfaces the storage error (nothing else) and is re-delivered, as the broker would. After every
 * failure, a fresh reader without faults finds every table consistent: the log replayed by hand lists
 * exactly Kernel's files, all present and readable, raw never ahead of refined, raw's offsets without
 * gap or repeat. At the end every event is in raw, refined, merged and the windows exactly once.
 */
class StorageFaultsLeaveNothingHalfCommittedTest {
    private static final String TOPIC = "hybridlake.transactions";
    private static final int BATCHES = 30;
    private static final int PER_BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void faultsAreRetriedOrSurfacedAndNothingHalfCommittedIsVisible() throws Exception {
        LocalFileIO local = new LocalFileIO(Lake.PARQUET_CONF);
        FaultyFileIO faulty = new FaultyFileIO(local, 20261125L, 0);
        Path lakeDir = dir.resolve("lake");
        PipelineCatalog catalog = Fixtures.catalog();
        int failures = 0;
        try (Lake lake = new Lake(faulty, local.resolvePath(lakeDir.toString()));
                var cache = new MvStoreSpeedCache(dir.resolve("cache.mv"))) {
            StreamPath stream = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            long[] next = new long[2];
            Instant t = Instant.now().minusSeconds(120);
            for (int b = 0; b < BATCHES; b++) {
                int partition = b % 2;
                List<SourceRecord> records = new ArrayList<>();
                for (int i = 0; i < PER_BATCH; i++) {
                    int id = b * PER_BATCH + i;
                    records.add(record(next[partition]++, transaction(id, "c" + id % 7, id + 0.25, "completed",
                            t.plusMillis(id).toString())));
                }
                EventBatch batch = new EventBatch(TOPIC, partition, records);
                failures += untilDone(faulty, lakeDir, () -> stream.process(batch));
                if (b % 10 == 9) {
                    failures += untilDone(faulty, lakeDir, () -> merger.merge(catalog.table("transactions")));
                }
            }
            faulty.rate(0);

            List<Object[]> refined = Fixtures.rows(lake, TablePath.refinedStream("transactions"));
            Set<String> ids = refined.stream().map(r -> (String) r[0]).collect(Collectors.toSet());
            assertThat(refined).hasSize(BATCHES * PER_BATCH);
            assertThat(ids).hasSize(BATCHES * PER_BATCH);
            assertThat(Fixtures.rows(lake, TablePath.rawStream("transactions"))).hasSize(BATCHES * PER_BATCH);
            assertThat(Fixtures.rows(lake, TablePath.merged("transactions")).stream().map(r -> (String) r[0])
                    .collect(Collectors.toSet())).isEqualTo(ids);
            long windowed = 0;
            for (int c = 0; c < 7; c++) {
                windowed += cache.windowsOf("transactions", "customer_5m", "c" + c, 10_000).stream()
                        .mapToLong(WindowState::count).sum();
            }
            assertThat(windowed).as("the windows count each event once").isEqualTo(BATCHES * PER_BATCH);
        }
        assertThat(faulty.injected.get()).as("faults injected").isPositive();
        assertThat(failures).as("attempts that failed on a fault").isPositive();
        System.out.printf("StorageFaultsLeaveNothingHalfCommittedTest: %d faults injected, %d failed attempts "
                + "re-delivered, %d events exactly once%n", faulty.injected.get(), failures, BATCHES * PER_BATCH);
    }

    /** Runs {@code work} with faults on until it succeeds; after each failure checks the lake. Returns the failures. */
    private static int untilDone(FaultyFileIO faulty, Path lakeDir, Supplier<?> work) throws Exception {
        for (int failures = 0; ; failures++) {
            faulty.rate(0.03 / (1 + failures / 5.0)); // a storm that calms: long jobs (a MERGE reads many files) get through
            try {
                work.get();
                return failures;
            } catch (RuntimeException e) {
                faulty.rate(0);
                assertThat(causes(e)).as("a failure is the storage fault, surfaced: %s", e).anyMatch(m -> m != null
                        && m.contains(FaultyFileIO.MARK));
                if (failures >= 199) {
                    throw new AssertionError("a batch keeps failing, last with: " + e, e);
                }
                nothingHalfCommitted(lakeDir);
            }
        }
    }

    private static List<String> causes(Throwable e) {
        List<String> out = new ArrayList<>();
        for (Throwable c = e; c != null; c = c.getCause()) {
            out.add(c.getMessage());
            for (Throwable s : c.getSuppressed()) {
                out.add(s.getMessage());
            }
        }
        return out;
    }

    /** A fresh reader without faults: every table's log, files and marks are consistent. */
    private static void nothingHalfCommitted(Path lakeDir) throws Exception {
        try (Lake lake = Lake.local(lakeDir)) {
            for (TablePath t : List.of(TablePath.rawStream("transactions"), TablePath.refinedStream("transactions"),
                    TablePath.merged("transactions"))) {
                LakeTable table = lake.table(t);
                if (!table.exists()) {
                    continue;
                }
                Set<String> kernel = new HashSet<>();
                new TableFiles(table).files(table.latestVersion()).forEach(f -> kernel.add(f.path()));
                DeltaLogReplay.LogState log = DeltaLogReplay.replay(lakeDir.resolve(t.relative()));
                assertThat(log.files().keySet()).as("%s: log replayed by hand = Kernel's files", t).isEqualTo(kernel);
                kernel.forEach(f -> assertThat(lakeDir.resolve(t.relative()).resolve(f)).isRegularFile());
            }
            LakeTable raw = lake.table(TablePath.rawStream("transactions"));
            List<Object[]> rawRows = Fixtures.rows(lake, TablePath.rawStream("transactions")); // every file reads
            for (int p = 0; p < 2; p++) {
                String appId = "hybridlake:" + TOPIC + ":" + p;
                long rawMark = raw.lastTransactionVersion(appId);
                assertThat(lake.table(TablePath.refinedStream("transactions")).lastTransactionVersion(appId))
                        .as("refined is never behind raw (raw commits last)").isGreaterThanOrEqualTo(rawMark);
                int partition = p;
                List<Long> offsets = rawRows.stream()
                        .filter(r -> (Integer) r[1] == partition).map(r -> (Long) r[2]).sorted().toList();
                assertThat(offsets).as("raw partition %d: offsets 0..mark once each", p).hasSize((int) rawMark + 1);
                for (int i = 0; i < offsets.size(); i++) {
                    assertThat(offsets.get(i)).isEqualTo((long) i);
                }
            }
        }
    }
}
