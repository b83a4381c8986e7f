package io.hybridlake.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each routing rule of the seed's guidelines, its boundary, and the explanation given. */
class WorkloadRouterRulesTest {
    private final WorkloadRouter router = new WorkloadRouter(RoutingRules.SEED_DEFAULTS, null, null, null, null, null, null);

    private static WorkloadJob job(Duration latency, Long records, boolean exploratory) {
        return new WorkloadJob("transactions", List.of(), null, latency, records, exploratory, null, true);
    }

    @Test
    void lowLatencyGoesToTheStreamPath() {
        WorkloadRouter.Decision d = router.decide(job(Duration.ofSeconds(5), 5_000_000L, false));
        assertThat(d.route()).isEqualTo(WorkloadRouter.Route.STREAM);
        assertThat(d.explanation()).isEqualTo("stream: results are needed within 5 s, under the 1 min only the stream "
                + "path meets");
        assertThat(d.rulesEvaluated()).containsExactly("latency 5 s < 1 min → stream");
        assertThat(router.decide(job(Duration.ofSeconds(59), null, false)).route()).isEqualTo(WorkloadRouter.Route.STREAM);
        assertThat(router.decide(job(Duration.ofSeconds(60), null, false)).route()).isNotEqualTo(WorkloadRouter.Route.STREAM);
    }

    @Test
    void largeVolumesAndRelaxedLatenciesGoToTheBatchPath() {
        WorkloadRouter.Decision big = router.decide(job(Duration.ofMinutes(10), 1_000_001L, false));
        assertThat(big.route()).isEqualTo(WorkloadRouter.Route.BATCH);
        assertThat(big.explanation()).isEqualTo("batch: 1,000,001 records is more than the 1,000,000 records ad-hoc or "
                + "stream processing should take on at once");
        assertThat(big.rulesEvaluated()).containsExactly("latency 10 min is not under 1 min: not stream",
                "1,000,001 records > 1,000,000 → batch");
        assertThat(router.decide(job(Duration.ofMinutes(10), 1_000_000L, false)).rulesEvaluated())
                .as("exactly 1M is not more than 1M: batch only by default").doesNotContain("1,000,000 records > 1,000,000 → batch")
                .last().isEqualTo("otherwise → batch");

        WorkloadRouter.Decision relaxed = router.decide(job(Duration.ofHours(1), 10L, false));
        assertThat(relaxed.route()).isEqualTo(WorkloadRouter.Route.BATCH);
        assertThat(relaxed.explanation()).isEqualTo("batch: results are needed within 1 h, so the job can wait for the "
                + "scheduled, cheapest path");
        assertThat(relaxed.rulesEvaluated()).last().isEqualTo("latency 1 h ≥ 1 h → batch");
    }

    @Test
    void smallOrExploratoryJobsGoToAdHocSql() {
        WorkloadRouter.Decision small = router.decide(job(Duration.ofMinutes(5), 100_000L, false));
        assertThat(small.route()).isEqualTo(WorkloadRouter.Route.ADHOC);
        assertThat(small.explanation()).isEqualTo("ad-hoc: 100,000 records is small, answered by SQL directly without "
                + "writing to the lake");
        assertThat(small.rulesEvaluated()).containsExactly("latency 5 min is not under 1 min: not stream",
                "100,000 records ≤ 1,000,000 and latency under 1 h: not batch by size or latency",
                "100,000 records ≤ 100,000 → ad-hoc");

        WorkloadRouter.Decision exploring = router.decide(job(null, null, true));
        assertThat(exploring.route()).isEqualTo(WorkloadRouter.Route.ADHOC);
        assertThat(exploring.explanation()).startsWith("ad-hoc: an exploratory job");

        // inline rows are counted when no volume is stated
        byte[] row = "{}".getBytes(StandardCharsets.UTF_8);
        WorkloadJob inline = new WorkloadJob("t", Collections.nCopies(3, row), null, null, null, false, null, true);
        assertThat(router.decide(inline).rulesEvaluated()).last().isEqualTo("3 records ≤ 100,000 → ad-hoc");
    }

    @Test
    void mediumJobsWithoutUrgencyDefaultToBatchAndRulesAreConfigurable() {
        WorkloadRouter.Decision medium = router.decide(job(null, 500_000L, false));
        assertThat(medium.route()).isEqualTo(WorkloadRouter.Route.BATCH);
        assertThat(medium.rulesEvaluated()).last().isEqualTo("otherwise → batch");

        WorkloadRouter strict = new WorkloadRouter(new RoutingRules(Duration.ofMinutes(5), 10_000, Duration.ofMinutes(30),
                10), null, null, null, null, null, null);
        assertThat(strict.decide(job(Duration.ofMinutes(2), null, false)).route()).isEqualTo(WorkloadRouter.Route.STREAM);
        assertThat(strict.decide(job(Duration.ofMinutes(10), 20_000L, false)).route()).isEqualTo(WorkloadRouter.Route.BATCH);
        assertThat(strict.decide(job(Duration.ofMinutes(10), 500L, false)).route()).isEqualTo(WorkloadRouter.Route.BATCH);
        assertThat(strict.decide(job(Duration.ofMinutes(10), 5L, false)).route()).isEqualTo(WorkloadRouter.Route.ADHOC);
    }
}
