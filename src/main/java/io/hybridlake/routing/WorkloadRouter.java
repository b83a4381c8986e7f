package io.hybridlake.routing;

import io.hybridlake.HybridlakeException;
import io.hybridlake.batch.BatchIngestor;
import io.hybridlake.batch.FileFormat;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.serving.sql.LakeSql;
import io.hybridlake.stream.Ingestor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pattern 3: chooses the stream, batch or ad-hoc path for a job by declared rules
 * ({@link RoutingRules}), says why, and runs it through that real path: stream = the job's rows
 * published to the pipeline's topic (then the Kappa path as any event); batch = an import through the
 * batch path (inline rows staged as an NDJSON file); ad-hoc = read-only SQL over the lake, with the
 * job's own data queryable as {@code job}.
 */
public final class WorkloadRouter {
    public enum Route {
        STREAM, BATCH, ADHOC
    }

    /** The decision, each rule as it was evaluated, and what running the job produced (null on a dry run). */
    public record Decision(Route route, String explanation, List<String> rulesEvaluated, Object result) {
    }

    private final RoutingRules rules;
    private final PipelineCatalog catalog;
    private final Ingestor ingestor;
    private final BatchIngestor batch;
    private final LakeSql sql;
    private final Path landing;
    private final Path staging;

    public WorkloadRouter(RoutingRules rules, PipelineCatalog catalog, Ingestor ingestor, BatchIngestor batch, LakeSql sql,
            Path landing, Path staging) {
        this.rules = rules;
        this.catalog = catalog;
        this.ingestor = ingestor;
        this.batch = batch;
        this.sql = sql;
        this.landing = landing;
        this.staging = staging;
    }

    public RoutingRules rules() {
        return rules;
    }

    /** The route for a job, with the rules as evaluated; nothing runs. */
    public Decision decide(WorkloadJob job) {
        List<String> evaluated = new ArrayList<>();
        Long volume = job.volume();
        Duration latency = job.latency();
        String records = volume == null ? "an unstated number of records" : String.format("%,d records", volume);
        if (latency != null && latency.compareTo(rules.streamLatencyBelow()) < 0) {
            evaluated.add("latency " + text(latency) + " < " + text(rules.streamLatencyBelow()) + " → stream");
            return new Decision(Route.STREAM, "stream: results are needed within " + text(latency) + ", under the "
                    + text(rules.streamLatencyBelow()) + " only the stream path meets", evaluated, null);
        }
        evaluated.add(latency == null ? "no latency requirement: not stream"
                : "latency " + text(latency) + " is not under " + text(rules.streamLatencyBelow()) + ": not stream");
        if (volume != null && volume > rules.batchRecordsAbove()) {
            evaluated.add(String.format("%,d records > %,d → batch", volume, rules.batchRecordsAbove()));
            return new Decision(Route.BATCH, String.format("batch: %s is more than the %,d records ad-hoc or stream "
                    + "processing should take on at once", records, rules.batchRecordsAbove()), evaluated, null);
        }
        if (latency != null && latency.compareTo(rules.batchLatencyAtLeast()) >= 0) {
            evaluated.add("latency " + text(latency) + " ≥ " + text(rules.batchLatencyAtLeast()) + " → batch");
            return new Decision(Route.BATCH, "batch: results are needed within " + text(latency) + ", so the job can "
                    + "wait for the scheduled, cheapest path", evaluated, null);
        }
        evaluated.add((volume == null ? "volume unstated" : String.format("%,d records ≤ %,d", volume,
                rules.batchRecordsAbove())) + (latency == null ? "" : " and latency under " + text(rules.batchLatencyAtLeast()))
                + ": not batch by size or latency");
        if (job.exploratory() || (volume != null && volume <= rules.adhocRecordsAtMost())) {
            evaluated.add(job.exploratory() ? "exploratory → ad-hoc"
                    : String.format("%,d records ≤ %,d → ad-hoc", volume, rules.adhocRecordsAtMost()));
            return new Decision(Route.ADHOC, "ad-hoc: " + (job.exploratory() ? "an exploratory job" : records
                    + " is small") + ", answered by SQL directly without writing to the lake", evaluated, null);
        }
        evaluated.add("otherwise → batch");
        return new Decision(Route.BATCH, "batch: " + records + " with no latency requirement that needs the stream "
                + "path; the batch path is the default", evaluated, null);
    }

    /** Decides, then runs the job through the chosen path (unless it is a dry run). */
    public Decision route(WorkloadJob job) {
        Decision d = decide(job);
        if (job.dryRun()) {
            return d;
        }
        Object result = switch (d.route()) {
            case STREAM -> stream(job);
            case BATCH -> batch(job);
            case ADHOC -> adhoc(job);
        };
        return new Decision(d.route(), d.explanation(), d.rulesEvaluated(), result);
    }

    private Object stream(WorkloadJob job) {
        if (job.rows().isEmpty()) {
            throw new HybridlakeException.BadRequest(job.table(), "the stream path takes the job's rows inline; a file "
                    + "goes through the batch path (state a latency of at least " + text(rules.streamLatencyBelow()) + ")");
        }
        return ingestor.ingest(job.table(), job.rows());
    }

    private Object batch(WorkloadJob job) {
        catalog.table(job.table());
        if (job.file() != null) {
            return batch.importFile(job.table(), Path.of(job.file()).getFileName().toString(), landingFile(job));
        }
        if (job.rows().isEmpty()) {
            throw new HybridlakeException.BadRequest(job.table(), "a batch job needs rows or a file in the landing zone");
        }
        Path staged = stageRows(job, "job-");
        try {
            return batch.importFile(job.table(), staged.getFileName().toString(), staged);
        } finally {
            staged.toFile().delete();
        }
    }

    private Object adhoc(WorkloadJob job) {
        String statement = job.sql() != null ? job.sql() : "SELECT * FROM job";
        if (job.file() == null && job.rows().isEmpty()) {
            return sql.query(statement, 0);
        }
        Path data = job.file() != null ? landingFile(job) : stageRows(job, "adhoc-");
        try {
            String reader = switch (FileFormat.of(data.getFileName().toString())) {
                case CSV -> "read_csv";
                case NDJSON -> "read_json";
                case PARQUET -> "read_parquet";
            };
            return sql.query(statement, 0, Map.of("job", "SELECT * FROM " + reader + "('"
                    + data.toAbsolutePath().toString().replace("'", "''") + "')"));
        } finally {
            if (job.file() == null) {
                data.toFile().delete();
            }
        }
    }

    /** A file of the table's landing zone (never a path outside it). */
    private Path landingFile(WorkloadJob job) {
        Path dir = landing.resolve(job.table()).toAbsolutePath().normalize();
        Path file = dir.resolve(job.file()).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            throw new HybridlakeException.BadRequest(job.file(), "file '" + job.file() + "' is not a file in the landing "
                    + "zone of table " + job.table() + " (landing/" + job.table() + "/ in the lake)");
        }
        return file;
    }

    private Path stageRows(WorkloadJob job, String prefix) {
        try {
            Files.createDirectories(staging);
            Path file = staging.resolve(prefix + UUID.randomUUID() + ".ndjson");
            try (OutputStream out = Files.newOutputStream(file)) {
                for (byte[] row : job.rows()) {
                    out.write(row);
                    out.write('\n');
                }
            }
            return file;
        } catch (IOException e) {
            throw new HybridlakeException(job.table(), "cannot stage the job's rows in " + staging + ": " + e.getMessage(), e);
        }
    }

    private static String text(Duration d) {
        if (d.toMillis() % 3_600_000 == 0 && d.toHours() > 0) {
            return d.toHours() + " h";
        }
        if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
            return d.toMinutes() + " min";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
