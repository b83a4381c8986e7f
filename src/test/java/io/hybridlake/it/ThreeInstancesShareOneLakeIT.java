package io.hybridlake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableFiles;
import io.hybridlake.lake.TablePath;
import io.hybridlake.runtime.EmbeddedKafka;
import io.hybridlake.stream.DeltaLogReplay;
import io.hybridlake.stream.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Three packaged platform processes in one consumer group on one lake and one external broker, with
 * MERGE and compaction timers racing on every instance: instances join while events flow (rebalances),
 * one is killed with SIGKILL and restarted. Afterwards raw and refined hold every acknowledged event
 * exactly once, refined/merged holds each key once, and every table's log replays by hand (no Delta
 * library) to the same files Kernel reads.
 */
class ThreeInstancesShareOneLakeIT {
    private static final int PARTITIONS = 6;

    @Test
    void threeInstancesLoseNothingAndWriteNothingTwice() throws Exception {
        Path home = Files.createTempDirectory(Path.of("target"), "three-it").toAbsolutePath();
        Path lakeDir = home.resolve("lake");
        int brokerPort = PlatformProcess.freePort();
        try (EmbeddedKafka broker = EmbeddedKafka.start(home.resolve("kafka"), brokerPort, PARTITIONS)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                // every pipeline's topic must exist on an external broker (the platform refuses to start otherwise)
                admin.createTopics(List.of(new NewTopic("hybridlake.user_events", PARTITIONS, (short) 1),
                        new NewTopic("hybridlake.transactions", PARTITIONS, (short) 1))).all().get();
            }
            List<String> settings = List.of("-Dhybridlake.broker.embedded=false", "-Dkafka.session.timeout.ms=10000",
                    "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(), "-Dhybridlake.lake.root=" + lakeDir,
                    "-Dhybridlake.batch.merge-every=1s", "-Dhybridlake.batch.compact-every=2s",
                    "-Dhybridlake.batch.compact-min-files=2");
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> attempted = ConcurrentHashMap.newKeySet();
            PlatformProcess[] instances = new PlatformProcess[3];
            try {
                instances[0] = start(home, 0, settings);
                AtomicBoolean stop = new AtomicBoolean();
                CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> produce(instances, stop, acknowledged,
                        attempted));
                awaitAcknowledged(acknowledged, 1_500);
                instances[1] = start(home, 1, settings); // joins while events flow: a rebalance
                awaitAcknowledged(acknowledged, 3_000);
                instances[2] = start(home, 2, settings);
                awaitAcknowledged(acknowledged, 5_000);
                instances[1].kill(); // a member dies mid-poll: its partitions move after the session timeout
                awaitAcknowledged(acknowledged, 7_000);
                instances[1] = start(home, 1, settings);
                awaitAcknowledged(acknowledged, 9_000);
                stop.set(true);
                producer.join();

                List<String> sentinels = IntStream.range(0, 60).mapToObj(i -> "s" + i).toList();
                assertThat(post(instances[0], sentinels)).isEqualTo(202);
                acknowledged.addAll(sentinels);
                attempted.addAll(sentinels);
                Awaitility.await("sentinels refined").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                        .until(() -> refinedIds(lakeDir).containsAll(sentinels));
                assertThat(instances[2].post("/merge", "application/json", "{\"table\":\"user_events\"}").statusCode())
                        .isEqualTo(200);
            } finally {
                for (PlatformProcess p : instances) {
                    if (p != null) {
                        p.stop();
                    }
                }
            }

            try (Lake lake = Lake.local(lakeDir)) {
                List<String> refined = Fixtures.rows(lake, TablePath.refinedStream("user_events")).stream()
                        .map(r -> (String) r[0]).toList();
                Set<String> refinedIds = new HashSet<>(refined);
                assertThat(refinedIds).as("no event refined twice").hasSize(refined.size());
                assertThat(missing(acknowledged, refinedIds)).as("acknowledged events missing from refined").isEmpty();
                assertThat(missing(refinedIds, attempted)).as("refined events never sent").isEmpty();
                List<String> raw = Fixtures.rows(lake, TablePath.rawStream("user_events")).stream()
                        .map(r -> r[1] + ":" + r[2]).toList();
                assertThat(new HashSet<>(raw)).as("raw holds each record once").hasSize(raw.size()).hasSize(refined.size());
                List<String> merged = Fixtures.rows(lake, TablePath.merged("user_events")).stream()
                        .map(r -> (String) r[0]).toList();
                assertThat(new HashSet<>(merged)).as("merged holds each key once, every refined key").hasSize(merged.size())
                        .isEqualTo(refinedIds);
                for (TablePath t : List.of(TablePath.rawStream("user_events"), TablePath.refinedStream("user_events"),
                        TablePath.merged("user_events"))) {
                    long version = lake.table(t).latestVersion();
                    Set<String> kernelFiles = new TableFiles(lake.table(t)).files(version).stream()
                            .map(f -> f.path()).collect(Collectors.toSet());
                    DeltaLogReplay.LogState log = DeltaLogReplay.replay(lakeDir.resolve(t.relative()));
                    assertThat(log.files().keySet()).as("%s: the hand-replayed log's files are Kernel's", t)
                            .isEqualTo(kernelFiles);
                    log.files().keySet().forEach(f -> assertThat(lakeDir.resolve(t.relative()).resolve(f)).exists());
                }
                System.out.printf("ThreeInstancesShareOneLakeIT: %d events acknowledged, %d refined exactly once, "
                        + "%d merged keys, refined/merged at version %d%n", acknowledged.size(), refined.size(),
                        merged.size(), lake.table(TablePath.merged("user_events")).latestVersion());
            }
        }
    }

    private static PlatformProcess start(Path home, int i, List<String> settings) throws Exception {
        Path own = home.resolve("instance-" + i);
        Files.createDirectories(own);
        // Live, not ready: a member joining a group mid-stream is ready only once it caught up with the
        // partitions it got, which waits for the rebalance; what this test checks is the lake at the end.
        return PlatformProcess.start(own, PlatformProcess.freePort(), PlatformProcess.freePort(), settings,
                "/q/health/live");
    }

    /** Posts batches of 50 events round-robin to the live instances until stopped. */
    private static void produce(PlatformProcess[] instances, AtomicBoolean stop, Set<String> acked, Set<String> attempted) {
        for (int n = 0, i = 0; !stop.get(); n += 50, i++) {
            List<String> ids = IntStream.range(n, n + 50).mapToObj(k -> "e" + k).toList();
            attempted.addAll(ids);
            PlatformProcess target = instances[i % 3] != null ? instances[i % 3] : instances[0];
            try {
                if (post(target, ids) == 202) {
                    acked.addAll(ids);
                }
            } catch (Exception e) {
                // the instance was killed mid-request: these may or may not have been published
            }
        }
    }

    private static int post(PlatformProcess p, List<String> ids) throws Exception {
        String body = ids.stream().map(id -> "{\"event_id\":\"" + id + "\",\"event_type\":\"click\",\"user_id\":\"u"
                + Math.floorMod(id.hashCode(), 7) + "\",\"event_timestamp\":\"2025-03-01T10:0"
                + Math.floorMod(id.hashCode(), 10) + ":00Z\"}").collect(Collectors.joining("\n"));
        return p.post("/tables/user_events/events", "application/x-ndjson", body).statusCode();
    }

    private static void awaitAcknowledged(Set<String> acked, int count) {
        Awaitility.await(count + " events acknowledged").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100)).until(() -> acked.size() >= count);
    }

    private static Set<String> refinedIds(Path lakeDir) {
        try (Lake lake = Lake.local(lakeDir)) {
            return Fixtures.rows(lake, TablePath.refinedStream("user_events")).stream().map(r -> (String) r[0])
                    .collect(Collectors.toSet());
        } catch (RuntimeException e) {
            return Set.of(); // the table is not created yet
        }
    }

    private static Set<String> missing(Set<String> expected, Set<String> actual) {
        Set<String> out = new HashSet<>(expected);
        out.removeAll(actual);
        return out;
    }
}
