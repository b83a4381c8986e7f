package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Column;
import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.FileReads;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.RowBatch;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.lake.TransactionMark;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.ZoneSchemas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two pieces a merge decides with: the order that says which version of a key is the latest (a
 * total order, so every run and replay picks the same winner) and the key index that says where each
 * key's row is (file, position in the file, event time) without reading the rows.
 */
class MergeOrderAndKeyIndexTest {
    @TempDir
    Path dir;

    private final PipelineSpec spec = MergeIsLatestEventWinsTest.spec("merge-on-read");
    private final RowRules rules = new RowRules(spec);
    private final MergeOrder order = new MergeOrder(spec, rules);

    private Object[] change(Long eventTime, Long sequence, String system, String topic, int partition, long offset) {
        Object[] refined = new Object[ZoneSchemas.refined(rules).size()];
        refined[rules.columnIndex("id")] = 1L;
        refined[rules.columnIndex(spec.eventTime())] = eventTime;
        refined[rules.columnIndex("_change_seq")] = sequence;
        refined[rules.columnIndex("_change_op")] = "u";
        int lineage = refined.length - ZoneSchemas.REFINED_LINEAGE.size();
        refined[lineage] = topic;
        refined[lineage + 1] = partition;
        refined[lineage + 2] = offset;
        return order.asMerged(refined, system);
    }

    @Test
    void eventTimeThenSequenceThenStreamThenSourcePositionDecide() {
        assertThat(order.compare(change(2L, 1L, "batch", "a", 0, 0), change(1L, 9L, "stream", "z", 9, 9))).isPositive();
        assertThat(order.compare(change(1L, 2L, "batch", "a", 0, 0), change(1L, 1L, "stream", "z", 9, 9))).isPositive();
        assertThat(order.compare(change(1L, 1L, "stream", "a", 0, 0), change(1L, 1L, "batch", "z", 9, 9))).isPositive();
        assertThat(order.compare(change(1L, 1L, "stream", "b", 0, 0), change(1L, 1L, "stream", "a", 9, 9))).isPositive();
        assertThat(order.compare(change(1L, 1L, "stream", "a", 1, 0), change(1L, 1L, "stream", "a", 0, 9))).isPositive();
        assertThat(order.compare(change(1L, 1L, "stream", "a", 0, 5), change(1L, 1L, "stream", "a", 0, 4))).isPositive();
        assertThat(order.compare(change(null, 1L, "stream", "a", 0, 5), change(0L, 1L, "batch", "a", 0, 4)))
                .as("a delete without an event time is older than any real time").isNegative();
        assertThat(order.compareTime(change(5L, 1L, "batch", "a", 0, 0), 4L)).isPositive();
    }

    @Test
    void theOrderIsTotalAntisymmetricAndTransitive() {
        SplittableRandom random = new SplittableRandom(7);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(change(random.nextInt(5) == 0 ? null : (long) random.nextInt(4), (long) random.nextInt(3),
                    random.nextBoolean() ? "stream" : "batch", "t" + random.nextInt(2), random.nextInt(2), random.nextInt(3)));
        }
        for (Object[] a : rows) {
            for (Object[] b : rows) {
                assertThat(Integer.signum(order.compare(a, b))).isEqualTo(-Integer.signum(order.compare(b, a)));
            }
        }
        List<Object[]> sorted = new ArrayList<>(rows);
        sorted.sort(order);
        for (int i = 1; i < sorted.size(); i++) {
            for (int j = i; j < Math.min(sorted.size(), i + 40); j++) {
                assertThat(order.compare(sorted.get(i - 1), sorted.get(j))).isLessThanOrEqualTo(0);
            }
        }
    }

    @Test
    void theKeyIndexFindsEveryKeysFilePositionAndTimeAndFollowsOurCommits() {
        TableSchema schema = new TableSchema(List.of(Column.required("id", ColumnType.STRING),
                Column.optional("at", ColumnType.TIMESTAMP), Column.required("part", ColumnType.INT)), List.of("part"));
        try (Lake lake = Lake.local(dir.resolve("lake"))) {
            LakeTable table = lake.table(TablePath.merged("keys"));
            long version = -1;
            for (int batch = 0; batch < 3; batch++) { // 3 commits x 2 partitions, 6,000 keys: the index grows
                RowBatch rows = new RowBatch(schema, 2000);
                for (int i = batch * 2000; i < (batch + 1) * 2000; i++) {
                    rows.setObject(0, "k" + i);
                    if (i % 7 != 0) {
                        rows.setLong(1, 1_000L * i);
                    }
                    rows.setInt(2, i % 2);
                    rows.endRow();
                }
                version = table.append(rows, new TransactionMark("test", batch)).version();
            }
            KeyIndex index = KeyIndex.build(table, version, "id", "at");
            assertThat(index.size()).isEqualTo(6000);
            assertThat(index.version()).isEqualTo(version);
            Map<String, KeyIndex.Location> truth = new HashMap<>();
            for (FileReads.PositionedRows file : new FileReads(table).positionedRows(version, null, List.of("id", "at"))) {
                for (int r = 0; r < file.rows().size(); r++) {
                    truth.put((String) file.rows().get(r)[0], new KeyIndex.Location(file.path(), file.positions()[r],
                            KeyIndex.time(file.rows().get(r)[1])));
                }
            }
            assertThat(truth).hasSize(6000);
            truth.forEach((key, where) -> assertThat(index.find(key)).as(key).isEqualTo(where));
            assertThat(index.find("k7").eventTime()).isEqualTo(KeyIndex.NO_TIME);
            assertThat(index.find("nobody")).isNull();

            index.advance(version + 1, List.of(new KeyIndex.Placed("k1", "new.parquet", 0, 5L),
                    new KeyIndex.Placed("k-new", "new.parquet", 1, 6L)));
            assertThat(index.find("k1")).isEqualTo(new KeyIndex.Location("new.parquet", 0, 5L));
            assertThat(index.find("k-new")).isEqualTo(new KeyIndex.Location("new.parquet", 1, 6L));
            assertThat(index.find("k2")).isEqualTo(truth.get("k2"));
            assertThat(index.size()).isEqualTo(6001);
            assertThat(index.version()).isEqualTo(version + 1);
        }
    }
}
