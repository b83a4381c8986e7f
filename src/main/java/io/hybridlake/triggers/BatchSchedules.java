package io.hybridlake.triggers;

import io.hybridlake.batch.BatchRuns;
import io.hybridlake.batch.LandingZone;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.runtime.Platform;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The batch path's timers locally (a TimerTrigger runs the same core calls on Azure). Each run is
 * recorded in {@link BatchRuns} (metrics, the operations health check); a failing table is logged
 * and retried by the next run, and the run counts as failed.
 */
@ApplicationScoped
public class BatchSchedules {
    private static final Logger LOG = Logger.getLogger(BatchSchedules.class);

    @Inject
    Platform platform;

    /** "off" (Quarkus' convention) disables the scan. */
    @Scheduled(every = "${hybridlake.batch.landing-scan-every:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scanLandingZone() {
        run("landing-scan", () -> {
            long records = 0;
            boolean failed = false;
            for (LandingZone.Outcome o : platform.landingZone().scan()) {
                if (o.error() != null) {
                    failed = true;
                    LOG.errorf("landing zone: %s/%s was not imported and stays for the next scan: %s", o.table(),
                            o.file(), o.error());
                } else {
                    records += o.result().records();
                    LOG.infof("landing zone: imported %s/%s: %s", o.table(), o.file(), o.result());
                }
            }
            if (failed) {
                throw new IllegalStateException("some landing-zone files failed to import (see the log)");
            }
            return records;
        });
    }

    /** MERGE of every pipeline, then its curated tables; a run that finds nothing new commits nothing. */
    @Scheduled(every = "${hybridlake.batch.merge-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void mergeAll() {
        run("merge", spec -> {
            var r = platform.merger().merge(spec);
            if (r.changed()) {
                LOG.infof("merge: %s", r);
            }
            platform.curator().curate(spec).stream().filter(c -> c.version() >= 0)
                    .forEach(c -> LOG.infof("curated: %s", c));
            return r.rowsRead();
        });
    }

    /** Compaction of every pipeline's tables. */
    @Scheduled(every = "${hybridlake.batch.compact-every:10m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void compactAll() {
        run("compact", spec -> {
            long files = 0;
            for (var r : platform.compactor().compact(spec)) {
                if (r.version() >= 0) {
                    files += r.filesCompacted();
                    LOG.infof("compaction: %s", r);
                }
            }
            return files;
        });
    }

    /** Vacuum of every pipeline's tables (files no snapshot within the retention needs). */
    @Scheduled(every = "${hybridlake.batch.vacuum-every:6h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void vacuumAll() {
        run("vacuum", spec -> {
            long files = 0;
            for (var r : platform.vacuumer().vacuum(spec)) {
                files += r.filesDeleted();
                if (r.filesDeleted() > 0) {
                    LOG.infof("vacuum: %s", r);
                }
            }
            return files;
        });
    }

    /** One pipeline's part of a job; returns the records (or files) it processed. */
    @FunctionalInterface
    private interface PerTable {
        long run(io.hybridlake.pipeline.PipelineSpec spec);
    }

    /** A job over every pipeline: a failing table is logged and the others still run; the run then counts as failed. */
    private void run(String job, PerTable perTable) {
        run(job, () -> {
            long total = 0;
            RuntimeException failure = null;
            for (var spec : platform.catalog().all()) {
                try {
                    total += perTable.run(spec);
                } catch (LakeTable.ConcurrentCommitException e) {
                    // another instance committed the same files first (timers fire on every instance)
                    LOG.warnf("%s of table %s lost a race with another writer; the next run retries: %s", job,
                            spec.table(), e.getMessage());
                } catch (RuntimeException e) {
                    failure = e;
                    LOG.errorf(e, "%s of table %s failed; the next run retries", job, spec.table());
                }
            }
            if (failure != null) {
                throw failure;
            }
            return total;
        });
    }

    private void run(String job, BatchRuns.Work work) {
        try {
            platform.batchRuns().record(job, work);
        } catch (Exception e) {
            LOG.errorf(e, "%s run failed; the next run retries", job);
        }
    }
}
