package io.hybridlake.triggers;

import io.hybridlake.batch.BatchJobs;
import io.hybridlake.runtime.Platform;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The batch path's timers locally; on Azure a timer function of the same job runs the same
 * {@link BatchJobs} (functions/*Timer, {@code AzureTimersMatchTheLocalScheduleTest}). "off" (Quarkus'
 * convention) disables a timer.
 */
@ApplicationScoped
public class BatchSchedules {
    private static final Logger LOG = Logger.getLogger(BatchSchedules.class);

    @Inject
    Platform platform;

    @Scheduled(every = "${hybridlake.batch.landing-scan-every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scanLandingZone() {
        log(platform.batchJobs().run(BatchJobs.Job.LANDING_SCAN));
    }

    @Scheduled(every = "${hybridlake.batch.merge-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void mergeAll() {
        log(platform.batchJobs().run(BatchJobs.Job.MERGE));
        log(platform.batchJobs().run(BatchJobs.Job.CURATE));
    }

    @Scheduled(every = "${hybridlake.batch.compact-every:10m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void compactAll() {
        log(platform.batchJobs().run(BatchJobs.Job.COMPACT));
    }

    @Scheduled(every = "${hybridlake.batch.vacuum-every:6h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void vacuumAll() {
        log(platform.batchJobs().run(BatchJobs.Job.VACUUM));
    }

    /** What a run did, a table at a time: work done at info, lost races as warnings, failures as errors. */
    static void log(BatchJobs.Run run) {
        for (BatchJobs.Part part : run.parts()) {
            if (part.lostRace()) {
                LOG.warnf("%s of %s lost a race with another instance; the next run retries: %s", run.job(),
                        part.table(), part.error());
            } else if (part.error() != null) {
                LOG.errorf("%s of %s failed; the next run retries: %s", run.job(), part.table(), part.error());
            } else if (part.count() > 0) {
                LOG.infof("%s of %s: %s", run.job(), part.table(), part.results());
            }
        }
    }
}
