package io.hybridlake.triggers;

import io.hybridlake.batch.BatchJobs;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The batch path's timers locally; on Azure a timer function of the same job runs the same
 * {@link BatchJobs} (functions/*Timer, {@code AzureTimersMatchTheLocalScheduleTest}). "off" (Quarkus'
 * convention) disables a timer. A table that fails is logged by the run and retried by the next one.
 */
@ApplicationScoped
public class BatchSchedules {
    @Inject
    BatchJobs batchJobs;

    @Scheduled(every = "${hybridlake.batch.landing-scan-every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scanLandingZone() {
        batchJobs.run(BatchJobs.Job.LANDING_SCAN);
    }

    @Scheduled(every = "${hybridlake.batch.merge-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void mergeAll() {
        batchJobs.run(BatchJobs.Job.MERGE);
        batchJobs.run(BatchJobs.Job.CURATE);
    }

    @Scheduled(every = "${hybridlake.batch.compact-every:10m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void compactAll() {
        batchJobs.run(BatchJobs.Job.COMPACT);
    }

    @Scheduled(every = "${hybridlake.batch.vacuum-every:6h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void vacuumAll() {
        batchJobs.run(BatchJobs.Job.VACUUM);
    }
}
