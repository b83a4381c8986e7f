package io.hybridlake.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.serving.MvStoreSpeedCache;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-style, CDC: generated Debezium histories (snapshot reads, inserts, updates, deletes with
 * tombstones, re-inserts) for many keys, keyed to partitions as Debezium does, locally reordered and
 * delivered in random polls — twice. Every change is in refined exactly once with its operation and
 * log sequence; the latest change per key (by sequence) is the source's final state; refined +
 * rejected + tombstones = sent.
 */
class CdcSequencesArePreservedTest {
    static final String YAML = """
            table: accounts
            source: {format: debezium}
            fields:
              - {name: id, type: long, nullable: false}
              - {name: balance, type: double, nullable: false}
            key: id
            event_time: _change_ts
            """;

    record Change(long id, String op, double balance, long lsn) {
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void everyChangeOnceInOrderOfSequenceAndTheLatestIsTheSourceState(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long lsn = 1000;
        Map<Long, Change> source = new TreeMap<>(); // the source table's final state (null op = deleted)
        List<List<Object>> partitions = List.of(new ArrayList<>(), new ArrayList<>()); // Change, or Long (tombstone)
        List<Change> changes = new ArrayList<>();
        for (long id = 1; id <= 40; id++) {
            Change c = new Change(id, random.nextBoolean() ? "r" : "c", random.nextInt(1000), lsn++);
            changes.add(c);
        }
        for (int i = 0; i < 400; i++) {
            long id = 1 + random.nextInt(40);
            Change last = source.containsKey(id) ? source.get(id) : null;
            changes.add(new Change(id, random.nextInt(8) == 0 ? "d" : last != null && last.op().equals("d") ? "c" : "u",
                    random.nextInt(1000), lsn++));
            source.put(id, changes.get(changes.size() - 1));
        }
        for (Change c : changes) {
            source.merge(c.id(), c, (a, b) -> a.lsn() > b.lsn() ? a : b);
            List<Object> p = partitions.get((int) (c.id() % 2));
            p.add(c);
            if (c.op().equals("d")) {
                p.add(c.id()); // Debezium's tombstone follows the delete
            }
        }
        for (List<Object> p : partitions) { // out of order: swap some neighbours
            for (int i = 1; i < p.size(); i++) {
                if (random.nextInt(6) == 0) {
                    Collections.swap(p, i - 1, i);
                }
            }
        }
        List<List<EventBatch>> polls = new ArrayList<>();
        int[] next = new int[2];
        while (next[0] < partitions.get(0).size() || next[1] < partitions.get(1).size()) {
            List<EventBatch> poll = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                int to = Math.min(partitions.get(p).size(), next[p] + 1 + random.nextInt(60));
                List<SourceRecord> records = new ArrayList<>();
                for (int i = next[p]; i < to; i++) {
                    records.add(record(i, partitions.get(p).get(i)));
                }
                next[p] = to;
                if (!records.isEmpty()) {
                    poll.add(new EventBatch("hybridlake.accounts", p, records));
                }
            }
            polls.add(poll);
        }

        PipelineSpec spec = PipelineLoader.load("accounts.yaml", new StringReader(YAML));
        try (Lake lake = Lake.local(dir.resolve("lake")); var cache = new MvStoreSpeedCache(dir.resolve("c.mv"))) {
            StreamPath path = new StreamPath(lake, new PipelineCatalog(List.of(spec), "hybridlake."), cache,
                    System::currentTimeMillis, new StreamMetrics(), 1 << 20);
            int refined = 0;
            int tombstones = 0;
            int rejected = 0;
            for (int round = 0; round < 2; round++) {
                for (List<EventBatch> poll : polls) {
                    for (BatchOutcome o : path.process(poll)) {
                        if (round == 0) {
                            refined += o.refined();
                            tombstones += o.tombstones();
                            rejected += o.rejected();
                        }
                    }
                }
            }
            int sent = partitions.get(0).size() + partitions.get(1).size();
            assertThat(refined + tombstones + rejected).isEqualTo(sent);
            assertThat(rejected).isZero();

            int op = spec.fieldIndex("_change_op");
            int seq = spec.fieldIndex("_change_seq");
            List<Change> stored = Fixtures.rows(lake, TablePath.refinedStream("accounts")).stream()
                    .map(r -> new Change((Long) r[0], (String) r[op], r[1] == null ? 0 : (Double) r[1], (Long) r[seq]))
                    .toList();
            assertThat(stored).containsExactlyInAnyOrderElementsOf(changes.stream()
                    .map(c -> c.op().equals("d") ? new Change(c.id(), "d", 0, c.lsn()) : c).toList());
            Map<Long, Change> latest = new HashMap<>();
            stored.forEach(c -> latest.merge(c.id(), c, (a, b) -> a.lsn() > b.lsn() ? a : b));
            source.forEach((id, c) -> assertThat(latest.get(id).lsn()).as("latest change of %d", id).isEqualTo(c.lsn()));
        }
    }

    /** A change as Debezium's JSON converter writes it (deletes carry only the key), or a tombstone. */
    private static SourceRecord record(long offset, Object item) {
        byte[] key = ("{\"id\":" + (item instanceof Change c ? c.id() : item) + "}").getBytes(StandardCharsets.UTF_8);
        if (!(item instanceof Change c)) {
            return new SourceRecord(offset, 0, key, null, Map.of());
        }
        String image = "{\"id\":" + c.id() + ",\"balance\":" + c.balance() + "}";
        String json = "{\"op\":\"" + c.op() + "\",\"before\":" + (c.op().equals("d") ? "{\"id\":" + c.id() + "}" : "null")
                + ",\"after\":" + (c.op().equals("d") ? "null" : image) + ",\"source\":{\"ts_ms\":" + (c.lsn() * 10)
                + ",\"lsn\":" + c.lsn() + "}}";
        return new SourceRecord(offset, 0, key, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
