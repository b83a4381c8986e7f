package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-style: random interleavings of inserts, updates and deletes (CDC), re-sent changes, changes
 * out of event-time order, arriving through the stream and through batch files, with merges run in
 * between — the merged table always equals a plain "latest event wins" computation over everything
 * merged so far (deletes as tombstones), a merge with nothing new changes nothing, and a merge of one
 * key rewrites one file.
 */
class MergeIsLatestEventWinsTest {
    static final String YAML = """
            table: accounts
            source: {format: debezium}
            fields:
              - {name: id, type: long, nullable: false}
              - {name: balance, type: double, nullable: false}
            key: id
            event_time: _change_ts
            """;

    /** A change: event time (ms) and log sequence order it; {@code via} is stream or batch. */
    record Change(long id, String op, double balance, long tsMillis, long lsn) {
        String json() {
            String image = "{\"id\":" + id + ",\"balance\":" + balance + "}";
            return "{\"op\":\"" + op + "\",\"before\":" + (op.equals("d") ? image : "null") + ",\"after\":"
                    + (op.equals("d") ? "null" : image) + ",\"source\":{\"ts_ms\":" + tsMillis + ",\"lsn\":" + lsn + "}}";
        }
    }

    @TempDir
    Path dir;

    static PipelineSpec spec(String mode) {
        return PipelineLoader.load("accounts.yaml", new StringReader(YAML + "merge: {mode: " + mode + "}\n"));
    }

    @ParameterizedTest
    @CsvSource({"1, merge-on-read", "2, merge-on-read", "3, merge-on-read", "1, copy-on-write", "2, copy-on-write",
        "3, copy-on-write"})
    void theMergedTableIsTheLatestChangeOfEveryKey(int seed, String mode) {
        SplittableRandom random = new SplittableRandom(seed);
        PipelineSpec spec = spec(mode);
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            Sources sources = new Sources(lake, cache, spec);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            Map<Long, List<String>> expected = new TreeMap<>(); // id -> winner (op, balance, source) by (ts, lsn, stream>batch)
            Map<Long, long[]> expectedOrder = new HashMap<>();
            List<Change> history = new ArrayList<>();
            long lsn = 0;
            for (int step = 0; step < 40; step++) {
                List<Change> chunk = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(40); i++) {
                    if (!history.isEmpty() && random.nextInt(10) == 0) {
                        chunk.add(history.get(random.nextInt(history.size()))); // re-sent
                        continue;
                    }
                    long id = 1 + random.nextInt(50);
                    String op = random.nextInt(7) == 0 ? "d" : random.nextBoolean() ? "u" : "c";
                    // event times jump around: out of order within and across chunks
                    Change c = new Change(id, op, random.nextInt(10_000) / 10.0, 1_000_000 + random.nextInt(100_000), ++lsn);
                    chunk.add(c);
                    history.add(c);
                }
                boolean viaStream = random.nextBoolean();
                sources.send(chunk, viaStream);
                for (Change c : chunk) {
                    long[] order = {c.tsMillis(), c.lsn(), viaStream ? 1 : 0};
                    long[] current = expectedOrder.get(c.id());
                    if (current == null || Arrays.compare(order, current) > 0) {
                        expectedOrder.put(c.id(), order);
                        expected.put(c.id(), Arrays.asList(c.op(), c.op().equals("d") ? null : String.valueOf(c.balance()),
                                viaStream ? "stream" : "batch"));
                    }
                }
                if (random.nextInt(3) == 0) {
                    merger.merge(spec);
                    assertThat(merged(lake, spec)).isEqualTo(expected);
                }
            }
            Merger.Result last = merger.merge(spec);
            assertThat(merged(lake, spec)).isEqualTo(expected);
            Merger.Result again = merger.merge(spec); // the timer fires twice
            assertThat(again.changed()).isFalse();
            assertThat(again.targetVersion()).isEqualTo(last.targetVersion());

            // one key changed: copy-on-write rewrites its one file; merge-on-read rewrites none, marks one
            // row of one file deleted and adds one file with the new version
            Set<String> before = new TableFiles(lake.table(TablePath.merged("accounts"))).filePaths(last.targetVersion());
            sources.send(List.of(new Change(7, "u", 1.5, 9_000_000, ++lsn)), true);
            Merger.Result one = merger.merge(spec);
            Set<String> after = new TableFiles(lake.table(TablePath.merged("accounts"))).filePaths(one.targetVersion());
            assertThat(after.stream().filter(f -> !before.contains(f))).hasSize(1);
            if (mode.equals("copy-on-write")) {
                assertThat(one.filesRewritten()).isEqualTo(1);
                assertThat(one.filesWithDeletions()).isZero();
                assertThat(before.stream().filter(f -> !after.contains(f))).hasSize(1);
            } else {
                assertThat(one.filesRewritten()).isZero();
                assertThat(one.filesWithDeletions()).isEqualTo(1);
                assertThat(after).containsAll(before);
            }
            expected.put(7L, List.of("u", "1.5", "stream"));
            assertThat(merged(lake, spec)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"merge-on-read", "copy-on-write"})
    void mergesRacingEachOtherAndStreamAppendsLoseNothing(String mode) throws Exception {
        PipelineSpec spec = spec(mode);
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            Sources sources = new Sources(lake, cache, spec);
            Map<Long, List<String>> expected = new TreeMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<?> appender = pool.submit(() -> {
                    for (int step = 0; step < 30; step++) {
                        List<Change> chunk = new ArrayList<>();
                        for (long id = 1; id <= 20; id++) {
                            chunk.add(new Change(id, "u", step * 100 + id, 1_000_000 + step, step * 100L + id));
                        }
                        sources.send(chunk, true);
                    }
                });
                // two mergers = two processes writing one target; each must survive the other's commits
                List<Future<?>> mergers = new ArrayList<>();
                for (int m = 0; m < 2; m++) {
                    Merger merger = new Merger(lake, System::currentTimeMillis);
                    mergers.add(pool.submit(() -> {
                        while (!appender.isDone()) {
                            merger.merge(spec);
                        }
                        return null;
                    }));
                }
                appender.get();
                for (Future<?> f : mergers) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            new Merger(lake, System::currentTimeMillis).merge(spec);
            for (long id = 1; id <= 20; id++) {
                expected.put(id, Arrays.asList("u", String.valueOf((double) (29 * 100 + id)), "stream"));
            }
            assertThat(merged(lake, spec)).isEqualTo(expected);
        }
    }

    /**
     * Another process (its own lake handle and merger, so no in-process lock between them) compacts and
     * purges the merged table while merges mark rows of the same files in deletion vectors: whichever
     * commits second sees the other's commit and redoes its work or fails naming the table; no
     * deletion is lost (one row per key, the latest). Halfway, the merges wait until a compaction has
     * committed, so the race has a compaction in it however the two threads are scheduled.
     */
    @Test
    void compactionRacingMergeOnReadLosesNoDeletion() throws Exception {
        PipelineSpec spec = PipelineLoader.load("accounts.yaml", new StringReader(YAML
                + "merge: {mode: merge-on-read, purge_above: 0.000001}\n"));
        try (Lake lake = Lake.local(dir.resolve("lake")); Lake other = Lake.local(dir.resolve("lake"));
                var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            Sources sources = new Sources(lake, cache, spec);
            Merger merger = new Merger(lake, System::currentTimeMillis);
            Compactor compactor = new Compactor(other, new Merger(other, System::currentTimeMillis), 32L << 20, 2);
            List<String> compactionFailures = new CopyOnWriteArrayList<>();
            AtomicInteger compactions = new AtomicInteger();
            CountDownLatch compacted = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> merges = pool.submit(() -> {
                    for (int step = 0; step < 26; step++) {
                        if (step == 13) {
                            assertThat(compacted.await(5, TimeUnit.MINUTES))
                                    .as("a compaction committed while merges waited; failures: %s", compactionFailures)
                                    .isTrue();
                        }
                        List<Change> chunk = new ArrayList<>();
                        for (long id = 1; id <= 40; id++) {
                            if (id % 2 == 0 || step % 3 == 0) {
                                chunk.add(new Change(id, "u", step * 100 + id, 1_000_000 + step, step * 100L + id));
                            }
                        }
                        sources.send(chunk, step % 2 == 0);
                        merger.merge(spec);
                    }
                    return null;
                });
                pool.submit(() -> {
                    while (!merges.isDone()) {
                        try {
                            if (compactor.compactMerged(spec).filesCompacted() > 0) {
                                compactions.incrementAndGet();
                                compacted.countDown();
                            }
                        } catch (HybridlakeException e) {
                            compactionFailures.add(e.getMessage());
                        }
                    }
                    return null;
                }).get();
                merges.get();
            } finally {
                pool.shutdownNow();
            }
            merger.merge(spec);
            Map<Long, List<String>> expected = new TreeMap<>();
            for (long id = 1; id <= 40; id++) {
                long last = id % 2 == 0 ? 25 : 24;
                expected.put(id, Arrays.asList("u", String.valueOf((double) (last * 100 + id)),
                        last % 2 == 0 ? "stream" : "batch"));
            }
            assertThat(merged(lake, spec)).isEqualTo(expected);
            assertThat(compactions.get()).as("compactions that committed").isPositive();
            assertThat(compactionFailures).allSatisfy(m -> assertThat(m).contains("refined/merged/accounts"));
        }
    }

    /** id -> [op, balance or null for a delete, source_system] from the merged table. */
    private static Map<Long, List<String>> merged(Lake lake, PipelineSpec spec) {
        Map<Long, List<String>> out = new TreeMap<>();
        int op = spec.fieldIndex("_change_op");
        for (Object[] r : Fixtures.rows(lake, TablePath.merged("accounts"))) {
            List<String> previous = out.put((Long) r[0], Arrays.asList((String) r[op],
                    Boolean.TRUE.equals(r[r.length - 1]) ? null : String.valueOf(r[1]), (String) r[r.length - 2]));
            assertThat(previous).as("one row per key %s", r[0]).isNull();
        }
        return out;
    }

    /** Feeds changes through the real stream path (one partition) or as batch files. */
    static final class Sources {
        private final StreamPath stream;
        private final RecordImporter batch;
        private final PipelineSpec spec;
        private long nextOffset;
        private int files;

        Sources(Lake lake, MvStoreSpeedCache cache, PipelineSpec spec) {
            this.spec = spec;
            PipelineCatalog catalog = new PipelineCatalog(List.of(spec), "hybridlake.");
            this.stream = new StreamPath(lake, catalog, cache, System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            this.batch = new RecordImporter(lake, catalog, System::currentTimeMillis, 1 << 20);
        }

        synchronized void send(List<Change> changes, boolean viaStream) {
            List<SourceRecord> records = new ArrayList<>();
            long offset = viaStream ? nextOffset : 0;
            for (Change c : changes) {
                records.add(new SourceRecord(offset++, 0, null, c.json().getBytes(StandardCharsets.UTF_8), Map.of()));
            }
            if (viaStream) {
                nextOffset = offset;
                stream.process(new EventBatch("hybridlake.accounts", 0, records));
            } else {
                batch.importBatch(spec, new EventBatch("file:f" + files++, 0, records));
            }
        }
    }
}
