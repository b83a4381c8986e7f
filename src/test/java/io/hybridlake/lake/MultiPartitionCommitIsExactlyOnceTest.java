package io.hybridlake.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One commit carries a transaction id per partition. Two writers with separate snapshot caches (two
 * processes) race on the same partitions: each partition's rows land exactly once, and every
 * partition's version is readable from the log.
 */
class MultiPartitionCommitIsExactlyOnceTest {
    static final TableSchema SCHEMA = new TableSchema(List.of(
            Column.required("partition", ColumnType.INT), Column.required("offset", ColumnType.LONG)), List.of());

    @TempDir
    Path dir;

    /** Rows of partitions 0..n-1, offsets 0..upTo, keeping only those above each partition's committed version. */
    static TableAppends.RowsAfterAll rows(int partitions, long upTo) {
        return committed -> {
            RowBatch b = new RowBatch(SCHEMA, 16);
            for (int p = 0; p < partitions; p++) {
                for (long o = committed.get("app:" + p) + 1; o <= upTo; o++) {
                    b.setInt(0, p);
                    b.setLong(1, o);
                    b.endRow();
                }
            }
            return b;
        };
    }

    static Map<String, Long> marks(int partitions, long version) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            m.put("app:" + p, version);
        }
        return m;
    }

    @Test
    void aWriterWithAStaleCacheReloadsAndWritesOnlyWhatIsNew() {
        try (Lake a = Lake.local(dir); Lake b = Lake.local(dir)) {
            LakeTable ta = a.table(TablePath.refinedStream("t"));
            LakeTable tb = b.table(TablePath.refinedStream("t"));
            new TableAppends(ta).appendExactlyOnce(SCHEMA, marks(3, 9), rows(3, 9));       // a: offsets 0..9 of p0..p2
            new TableAppends(tb).appendExactlyOnce(SCHEMA, marks(3, 19), rows(3, 19));     // b (fresh cache): 10..19
            // a's cache still says 9 for every partition: its commit conflicts, it reloads, writes 20..29 only
            new TableAppends(ta).appendExactlyOnce(SCHEMA, marks(3, 29), rows(3, 29));
            // a re-delivery through either writer changes nothing
            assertThat(new TableAppends(tb).appendExactlyOnce(SCHEMA, marks(3, 29), rows(3, 29)).committed()).isFalse();
            assertThat(new TableAppends(ta).appendExactlyOnce(SCHEMA, marks(3, 19), rows(3, 19)).committed()).isFalse();

            List<Object[]> read = new ArrayList<>();
            new TableReader(ta).forEachRow(OptionalLong.empty(), read::add);
            assertThat(read).hasSize(90);
            assertThat(read.stream().map(r -> r[0] + ":" + r[1]).distinct().count()).isEqualTo(90);
            for (int p = 0; p < 3; p++) {
                assertThat(ta.lastTransactionVersion("app:" + p)).isEqualTo(29);
            }
        }
    }

    @Test
    void partitionsAlreadyCommittedAreLeftOutOfTheNextCommit() {
        try (Lake lake = Lake.local(dir)) {
            LakeTable t = lake.table(TablePath.rawStream("t"));
            new TableAppends(t).appendExactlyOnce(SCHEMA, Map.of("app:0", 4L), committed -> {
                RowBatch b = new RowBatch(SCHEMA, 5);
                for (long o = committed.get("app:0") + 1; o <= 4; o++) {
                    b.setInt(0, 0);
                    b.setLong(1, o);
                    b.endRow();
                }
                return b;
            });
            new TableAppends(t).appendExactlyOnce(SCHEMA, marks(2, 4), rows(2, 4)); // p0 is done: only p1's rows are new
            List<Object[]> read = new ArrayList<>();
            new TableReader(t).forEachRow(OptionalLong.empty(), read::add);
            assertThat(read).hasSize(10);
            assertThat(t.lastTransactionVersion("app:1")).isEqualTo(4);
        }
    }
}
