package io.hybridlake.stream;

import static io.hybridlake.stream.Fixtures.record;
import static io.hybridlake.stream.Fixtures.rows;
import static io.hybridlake.stream.Fixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.serving.WindowState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core-level: the same offsets delivered again, whole or overlapping, change nothing. */
class ReplayIsIdempotentTest {
    @TempDir
    Path dir;

    private static EventBatch batch(int from, int to) {
        List<SourceRecord> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String status = i % 5 == 0 ? "pending" : "completed";
            records.add(record(i, transaction(i, "c" + (i % 3), 10.0, status, "2025-01-28T10:0" + (i % 10) + ":00Z")));
        }
        return new EventBatch("hybridlake.transactions", 0, records);
    }

    @Test
    void wholeAndOverlappingReplaysAreCountedOnce() {
        try (Lake lake = Lake.local(dir.resolve("lake"));
                MvStoreSpeedCache cache = new MvStoreSpeedCache(dir.resolve("cache.mv"))) {
            StreamPath path = new StreamPath(lake, Fixtures.catalog(), cache, System::currentTimeMillis,
                    new StreamMetrics(), 1 << 20);
            path.process(batch(0, 40));
            BatchOutcome replay = path.process(batch(0, 40));
            assertThat(replay.replaySkipped()).isTrue();
            path.process(batch(20, 60)); // overlaps 20..39
            path.process(batch(60, 100));

            assertThat(rows(lake, TablePath.rawStream("transactions"))).hasSize(100);
            // every 5th is pending: filtered out of refined
            assertThat(rows(lake, TablePath.refinedStream("transactions"))).hasSize(80);
            assertThat(path.nextOffset("hybridlake.transactions", 0)).isEqualTo(100);

            long windowed = 0;
            for (String customer : List.of("c0", "c1", "c2")) {
                for (WindowState w : cache.windowsOf("transactions", "customer_5m", customer, 100)) {
                    windowed += w.count();
                }
            }
            assertThat(windowed).isEqualTo(80);
        }
    }
}
