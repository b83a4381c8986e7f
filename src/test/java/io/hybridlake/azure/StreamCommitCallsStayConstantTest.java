package io.hybridlake.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.RequiredComponent;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.azure.AzureLake;
import io.hybridlake.serving.MvStoreSpeedCache;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On ADLS every storage call is a round trip, so what a stream poll costs there is its number of calls.
 * Counted on Azurite (Blob API, as the adapter speaks to ADLS): the calls of 20 polls once the tables
 * have ~20 versions, and of 20 polls once they have ~1,000, checkpoints and checksums included (each
 * window holds two checkpoints per table), are the same operations in the same numbers — nothing
 * a commit does lists or replays the table's history.
 */
class StreamCommitCallsStayConstantTest {
    private static final int WINDOW = 20;

    @TempDir
    Path dir;

    @Test
    void callsPerStreamCommitDoNotGrowWithTheTablesHistory() throws Exception {
        RequiredComponent.require(Azurite.installed(), "Azurite: the build installs it with npm (emulators/install.sh); "
                + "install Node.js 20+ and npm");
        Azurite azurite = Azurite.shared();
        String root = Azurite.root("calls-" + UUID.randomUUID().toString().substring(0, 8));
        try (Lake lake = AzureLake.open(root, Optional.of(azurite.connectionString()), Optional.of(azurite.blobEndpoint()));
                var cache = new MvStoreSpeedCache(dir.resolve("cache.mv"))) {
            StreamPath stream = new StreamPath(lake, Fixtures.catalog(), cache, () -> 1_764_000_000_000L,
                    new StreamMetrics(), 1 << 20);
            poll(stream, lake, 0, 20);
            Map<String, Long> young = poll(stream, lake, 20, 20 + WINDOW);
            poll(stream, lake, 20 + WINDOW, 990);
            Map<String, Long> old = poll(stream, lake, 990, 990 + WINDOW);

            assertThat(lake.table(TablePath.rawStream("transactions")).latestVersion()).isGreaterThanOrEqualTo(1000);
            System.out.printf("storage calls per stream poll (raw + refined commit, checkpoints and checksums): "
                    + "at ~20 versions %s; at ~1,000 versions %s%n", perPoll(young), perPoll(old));
            assertThat(young).containsKeys("put-blob", "read");
            assertThat(old).as("calls of %d polls at ~1,000 versions against the same at ~20", WINDOW).isEqualTo(young);
        }
    }

    /** Polls {@code from} to {@code to} (one partition, 10 events each) and returns the calls they made. */
    private static Map<String, Long> poll(StreamPath stream, Lake lake, int from, int to) {
        lake.awaitPostCommitHooks();
        Map<String, Long> before = lake.storageCalls().snapshot();
        Instant base = Instant.parse("2025-01-28T00:00:00Z");
        for (int poll = from; poll < to; poll++) {
            List<SourceRecord> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long n = poll * 10L + i;
                records.add(LakeOnAzuriteTest.record(n, LakeOnAzuriteTest.tx("t" + n, "c" + n % 7, n + 0.5,
                        base.plusSeconds(n), "")));
            }
            stream.process(List.of(new EventBatch("hybridlake.transactions", 0, records)));
            lake.awaitPostCommitHooks(); // each checkpoint runs (none is coalesced into a later one)
        }
        return lake.storageCalls().since(before);
    }

    private static Map<String, String> perPoll(Map<String, Long> calls) {
        Map<String, String> out = new TreeMap<>();
        calls.forEach((op, n) -> out.put(op, String.format("%.2f", n / (double) WINDOW)));
        return out;
    }
}
