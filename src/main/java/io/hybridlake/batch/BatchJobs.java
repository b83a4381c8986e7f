package io.hybridlake.batch;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.ConcurrentCommitException;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The batch path's jobs and the one policy for running a job over the pipelines, whichever trigger
 * fires it (the local scheduler, an Azure timer, an HTTP call): each table on its own — a table that
 * fails is reported and retried by the next run while the others go on; a race lost to another
 * instance (timers fire on every instance) is not a failure, the winner did the work; each run is
 * recorded ({@link BatchRuns}: metrics, health). Every job is idempotent, so a timer that fires twice
 * or on several instances changes nothing the second time.
 */
public final class BatchJobs {
    /** The jobs; each has a timer on every host (local scheduler, Azure Functions). */
    public enum Job {
        /** MERGE stream and batch rows into refined/merged (the timers run CURATE right after). */
        MERGE,
        /** Rewrites small files. */
        COMPACT,
        /** Deletes files no snapshot within the retention needs. */
        VACUUM,
        /** Imports files dropped in the landing zone. */
        LANDING_SCAN,
        /** Recomputes the curated tables' changed partitions from refined/merged. */
        CURATE;

        /** The job's name in metrics, run records and logs. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One table's part of a run: what it did (the job's result records), or why it failed. */
    public record Part(String table, List<Object> results, long count, String error, boolean lostRace) {
    }

    /** A run of a job over one or every pipeline. */
    public record Run(String job, List<Part> parts) {
        public long count() {
            return parts.stream().mapToLong(Part::count).sum();
        }

        /** The tables that failed (not counting races lost to another instance). */
        public List<Part> failures() {
            return parts.stream().filter(p -> p.error() != null && !p.lostRace()).toList();
        }

        /** Every table's results, in order. */
        public List<Object> results() {
            return parts.stream().flatMap(p -> p.results().stream()).toList();
        }

        /**
         * For a trigger that must answer failed (an HTTP call, an Azure timer): throws, naming the first
         * table that failed and how many did, after every table ran.
         */
        public Run requireSucceeded() {
            List<Part> failed = failures();
            if (!failed.isEmpty()) {
                Part first = failed.get(0);
                throw new HybridlakeException(first.table(), job + " of " + first.table() + " failed: " + first.error()
                        + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more tables)" : ""));
            }
            return this;
        }
    }

    private static final System.Logger LOG = System.getLogger(BatchJobs.class.getName());

    private final PipelineCatalog catalog;
    private final Merger merger;
    private final Curator curator;
    private final Compactor compactor;
    private final Vacuumer vacuumer;
    private final LandingZone landing;
    private final BatchRuns runs;

    public BatchJobs(PipelineCatalog catalog, Merger merger, Curator curator, Compactor compactor, Vacuumer vacuumer,
            LandingZone landing, BatchRuns runs) {
        this.catalog = catalog;
        this.merger = merger;
        this.curator = curator;
        this.compactor = compactor;
        this.vacuumer = vacuumer;
        this.landing = landing;
        this.runs = runs;
    }

    /** Runs {@code job} over every pipeline. */
    public Run run(Job job) {
        return run(job, List.copyOf(catalog.all()));
    }

    /** Runs {@code job} over one pipeline (a 404 when there is none of that name). */
    public Run run(Job job, String table) {
        return run(job, List.of(catalog.table(table)));
    }

    private Run run(Job job, List<PipelineSpec> specs) {
        List<Part> parts = new ArrayList<>();
        try {
            runs.record(job.label(), () -> {
                for (PipelineSpec spec : specs) {
                    parts.add(part(job, spec));
                }
                return new Run(job.label(), parts).requireSucceeded().count(); // a failed table fails the run's record
            });
        } catch (Exception e) {
            // recorded as a failed run; the parts say which tables and why
        }
        Run run = new Run(job.label(), List.copyOf(parts));
        log(run);
        return run;
    }

    /** What a run did, a table at a time: work done at info, lost races as warnings, failures as errors. */
    private static void log(Run run) {
        for (Part part : run.parts()) {
            if (part.lostRace()) {
                LOG.log(System.Logger.Level.WARNING, "{0} of {1} lost a race with another instance; the next run "
                        + "retries: {2}", run.job(), part.table(), part.error());
            } else if (part.error() != null) {
                LOG.log(System.Logger.Level.ERROR, "{0} of {1} failed; the next run retries: {2}", run.job(),
                        part.table(), part.error());
            } else if (part.count() > 0) {
                LOG.log(System.Logger.Level.INFO, "{0} of {1}: {2}", run.job(), part.table(), part.results());
            }
        }
    }

    private Part part(Job job, PipelineSpec spec) {
        try {
            List<Object> results = new ArrayList<>();
            if (job == Job.LANDING_SCAN) {
                return landingScan(spec);
            }
            long count = switch (job) {
                case MERGE -> {
                    Merger.Result merged = merger.merge(spec);
                    results.add(merged);
                    yield merged.rowsRead();
                }
                case CURATE -> {
                    List<Curator.Result> curated = curator.curate(spec);
                    results.addAll(curated);
                    yield curated.stream().mapToLong(Curator.Result::rows).sum();
                }
                case COMPACT -> {
                    List<Compactor.Result> compacted = compactor.compact(spec);
                    results.addAll(compacted);
                    yield compacted.stream().mapToLong(c -> c.version() >= 0 ? c.filesCompacted() : 0).sum();
                }
                case VACUUM -> {
                    var vacuumed = vacuumer.vacuum(spec);
                    results.addAll(vacuumed);
                    yield vacuumed.stream().mapToLong(v -> v.filesDeleted()).sum();
                }
                case LANDING_SCAN -> throw new IllegalStateException("handled above");
            };
            return new Part(spec.table(), results, count, null, false);
        } catch (ConcurrentCommitException e) {
            return new Part(spec.table(), List.of(), 0, e.getMessage(), true);
        } catch (RuntimeException e) {
            return new Part(spec.table(), List.of(), 0, e.getMessage() == null ? e.toString() : e.getMessage(), false);
        }
    }

    /** The landing scan: a file that fails stays for the next scan and fails this table's part. */
    private Part landingScan(PipelineSpec spec) {
        List<LandingZone.Outcome> outcomes = landing.scan(spec);
        List<String> failed = outcomes.stream().filter(o -> o.error() != null).map(o -> o.file() + ": " + o.error())
                .toList();
        long records = outcomes.stream().filter(o -> o.result() != null).mapToLong(o -> o.result().records()).sum();
        return new Part(spec.table(), List.copyOf(outcomes), records, failed.isEmpty() ? null
                : "landing files not imported (they stay for the next scan): " + String.join("; ", failed), false);
    }
}
