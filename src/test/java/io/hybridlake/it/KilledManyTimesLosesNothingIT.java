package io.hybridlake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.stream.Fixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Crash proof: the packaged platform runs as a child process while a producer posts events, and is
 * killed with SIGKILL at a random moment, {@code hybridlake.kills} times (20 in the test suite, 100 in
 * {@code scripts/soak.sh}), each time restarted on the same lake, cache and broker data. Afterwards
 * every event whose post was acknowledged is in raw and refined exactly once, no event is there
 * twice, and the speed cache's windows count exactly the refined events.
 */
class KilledManyTimesLosesNothingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 7;

    @Test
    void randomKillsLoseNothingAndCountNothingTwice() throws Exception {
        int kills = Integer.getInteger("hybridlake.kills", 20);
        SplittableRandom random = new SplittableRandom(Long.getLong("hybridlake.kills.seed", 42));
        Path home = Files.createTempDirectory(Path.of("target"), "kill-it").toAbsolutePath();
        int http = PlatformProcess.freePort();
        int broker = PlatformProcess.freePort();
        Set<String> acknowledged = new HashSet<>();
        Set<String> attempted = new HashSet<>();
        int next = 0;
        for (int round = 0; round < kills; round++) {
            try (PlatformProcess p = PlatformProcess.start(home, http, broker)) {
                AtomicBoolean stop = new AtomicBoolean();
                int first = next;
                CompletableFuture<List<String>> producer = CompletableFuture.supplyAsync(() -> produce(p, first, stop,
                        attempted));
                // the fault injected: a kill after a random time while events flow (not a synchronisation)
                Thread.sleep(200 + random.nextInt(2500));
                p.kill();
                stop.set(true);
                acknowledged.addAll(producer.join());
                next = first + 100_000; // each round's ids apart
            }
        }
        try (PlatformProcess p = PlatformProcess.start(home, http, broker)) {
            // sentinels on every partition: once all are in raw, everything produced before them is processed
            List<String> sentinels = IntStream.range(0, 100).mapToObj(i -> "s" + i).toList();
            assertThat(post(p, sentinels)).isEqualTo(202);
            acknowledged.addAll(sentinels);
            attempted.addAll(sentinels);
            Awaitility.await("sentinels processed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> sentinelsRefined(p) == sentinels.size());
            // refined commits before the cache write of the same poll: wait for the cache to settle on a total
            long[] windowed = {-1};
            Awaitility.await("the speed cache counts every refined event").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        long before = windowTotal(p);
                        boolean settled = before == windowed[0];
                        windowed[0] = before;
                        return settled && before >= sqlCount(p, "SELECT count(*) FROM refined_stream_user_events");
                    });
            p.stop();
            try (Lake lake = Lake.local(home.resolve("lake"))) {
                List<String> refined = Fixtures.rows(lake, TablePath.refinedStream("user_events")).stream()
                        .map(r -> (String) r[0]).toList();
                Set<String> refinedIds = new HashSet<>(refined);
                // raw: topic partition and offset identify an event
                List<String> raw = Fixtures.rows(lake, TablePath.rawStream("user_events")).stream()
                        .map(r -> r[1] + ":" + r[2]).toList();
                assertThat(refinedIds).as("no event refined twice").hasSize(refined.size());
                Set<String> missing = new HashSet<>(acknowledged);
                missing.removeAll(refinedIds);
                assertThat(missing).as("acknowledged events missing from refined").isEmpty();
                Set<String> unknown = new HashSet<>(refinedIds);
                unknown.removeAll(attempted);
                assertThat(unknown).as("refined events that were never sent").isEmpty();
                assertThat(new HashSet<>(raw)).as("raw holds each event once").hasSize(raw.size()).hasSize(refined.size());
                assertThat(windowed[0]).as("the windows count each refined event once").isEqualTo(refined.size());
                System.out.printf("KilledManyTimesLosesNothingIT: %d kills survived, %d events acknowledged, %d refined "
                        + "exactly once%n", kills, acknowledged.size(), refined.size());
            }
        }
    }

    /** Posts batches of 50 events until stopped or the platform is gone; returns the acknowledged ids. */
    private static List<String> produce(PlatformProcess p, int first, AtomicBoolean stop, Set<String> attempted) {
        List<String> acked = new ArrayList<>();
        for (int n = first; !stop.get(); n += 50) {
            List<String> ids = IntStream.range(n, n + 50).mapToObj(i -> "e" + i).toList();
            synchronized (attempted) {
                attempted.addAll(ids);
            }
            try {
                if (post(p, ids) != 202) {
                    break;
                }
                acked.addAll(ids);
            } catch (Exception e) {
                break; // killed mid-request: these may or may not have been published
            }
        }
        return acked;
    }

    private static int post(PlatformProcess p, List<String> ids) throws Exception {
        String body = ids.stream().map(id -> "{\"event_id\":\"" + id + "\",\"event_type\":\"click\",\"user_id\":\"u"
                + Math.floorMod(id.hashCode(), USERS) + "\",\"event_timestamp\":\"2025-03-01T10:0"
                + Math.floorMod(id.hashCode(), 10) + ":00Z\"}").collect(Collectors.joining("\n"));
        return p.post("/tables/user_events/events", "application/x-ndjson", body).statusCode();
    }

    private static long sentinelsRefined(PlatformProcess p) throws Exception {
        return sqlCount(p, "SELECT count(*) FROM refined_stream_user_events WHERE event_id LIKE 's%'");
    }

    private static long sqlCount(PlatformProcess p, String sql) throws Exception {
        var response = p.get("/sql?q=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("rows").path(0).path(0).asLong() : -1;
    }

    private static long windowTotal(PlatformProcess p) throws Exception {
        long total = 0;
        for (int u = 0; u < USERS; u++) {
            for (JsonNode w : JSON.readTree(p.get("/windows?table=user_events&window=user_5m&limit=10000&key=u" + u)
                    .body())) {
                total += w.get("count").asLong();
            }
        }
        return total;
    }
}
