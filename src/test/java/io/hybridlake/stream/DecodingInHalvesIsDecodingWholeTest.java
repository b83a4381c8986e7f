package io.hybridlake.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream path decodes a large partition batch in two halves on two threads and joins them
 * ({@link DecodedBatch#concat}): the joined batch must be the batch decoded whole, record by record —
 * refined rows, rejections with their reasons, event times and every counter — or a row would land in
 * the wrong place.
 */
class DecodingInHalvesIsDecodingWholeTest {
    @Test
    void halvesJoinedAreTheWhole() {
        CompiledPipeline p = new CompiledPipeline(Fixtures.builtin("transactions"), 1 << 20);
        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < 9001; i++) {
            String json = switch (i % 7) {
                case 0 -> "{\"transaction_id\":\"t-" + i + "\",\"amount\":"; // truncated
                case 1 -> Fixtures.transaction(i, "c" + i % 13, 5.0, "pending", "2026-11-24T10:00:00Z"); // filtered
                case 2 -> "{\"transaction_id\":\"t-" + i + "\",\"customer_id\":\"c1\",\"amount\":\"x\"}"; // wrong type
                default -> Fixtures.transaction(i, "c" + i % 13, i, "completed", "2026-11-24T10:" + String.format("%02d", i % 60)
                        + ":00Z");
            };
            records.add(Fixtures.record(1000 + i, json));
        }
        EventBatch batch = new EventBatch("hybridlake.transactions", 0, records);
        int half = records.size() / 2;
        DecodedBatch whole = DecodedBatch.decode(batch, p);
        DecodedBatch joined = DecodedBatch.concat(batch, List.of(
                DecodedBatch.decode(new EventBatch(batch.topic(), 0, records.subList(0, half)), p),
                DecodedBatch.decode(new EventBatch(batch.topic(), 0, records.subList(half, records.size())), p)));

        assertThat(joined.refined).isEqualTo(whole.refined).isPositive();
        assertThat(joined.filtered).isEqualTo(whole.filtered).isPositive();
        assertThat(joined.rejected).isEqualTo(whole.rejected).isPositive();
        assertThat(joined.tombstones).isEqualTo(whole.tombstones);
        assertThat(joined.eventTimes).isEqualTo(whole.eventTimes);
        for (int i = 0; i < records.size(); i++) {
            assertThat(joined.rows[i] == null ? null : Arrays.asList(joined.rows[i])).as("row %d", i)
                    .isEqualTo(whole.rows[i] == null ? null : Arrays.asList(whole.rows[i]));
            assertThat(joined.violations[i]).as("violation %d", i).isEqualTo(whole.violations[i]);
        }
        assertThat(joined.batch).isSameAs(batch);
    }
}
