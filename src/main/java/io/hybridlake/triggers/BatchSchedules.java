package io.hybridlake.triggers;

import io.hybridlake.batch.LandingZone;
import io.hybridlake.runtime.Platform;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** The batch path's timers locally (a TimerTrigger runs the same core calls on Azure). */
@ApplicationScoped
public class BatchSchedules {
    private static final Logger LOG = Logger.getLogger(BatchSchedules.class);

    @Inject
    Platform platform;

    /** "off" (Quarkus' convention) disables the scan. */
    @Scheduled(every = "${hybridlake.batch.landing-scan-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scanLandingZone() {
        for (LandingZone.Outcome o : platform.landingZone().scan()) {
            if (o.error() != null) {
                LOG.errorf("landing zone: %s/%s was not imported and stays for the next scan: %s", o.table(), o.file(),
                        o.error());
            } else {
                LOG.infof("landing zone: imported %s/%s: %s", o.table(), o.file(), o.result());
            }
        }
    }

    /** MERGE of every pipeline, then its curated tables; a run that finds nothing new commits nothing. */
    @Scheduled(every = "${hybridlake.batch.merge-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void mergeAll() {
        for (var spec : platform.catalog().all()) {
            try {
                var r = platform.merger().merge(spec);
                if (r.changed()) {
                    LOG.infof("merge: %s", r);
                }
                platform.curator().curate(spec).stream().filter(c -> c.version() >= 0)
                        .forEach(c -> LOG.infof("curated: %s", c));
            } catch (RuntimeException e) {
                LOG.errorf(e, "merge of table %s failed; the next run retries from the same source versions",
                        spec.table());
            }
        }
    }

    /** Compaction of every pipeline's tables. */
    @Scheduled(every = "${hybridlake.batch.compact-every:10m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void compactAll() {
        for (var spec : platform.catalog().all()) {
            try {
                platform.compactor().compact(spec).stream().filter(r -> r.version() >= 0)
                        .forEach(r -> LOG.infof("compaction: %s", r));
            } catch (RuntimeException e) {
                LOG.errorf(e, "compaction of table %s failed; the next run retries", spec.table());
            }
        }
    }

    /** Vacuum of every pipeline's tables (files no snapshot within the retention needs). */
    @Scheduled(every = "${hybridlake.batch.vacuum-every:6h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void vacuumAll() {
        for (var spec : platform.catalog().all()) {
            try {
                platform.vacuumer().vacuum(spec).stream().filter(r -> r.filesDeleted() > 0)
                        .forEach(r -> LOG.infof("vacuum: %s", r));
            } catch (RuntimeException e) {
                LOG.errorf(e, "vacuum of table %s failed; the next run retries", spec.table());
            }
        }
    }
}
