package io.hybridlake.triggers;

import io.hybridlake.HybridlakeException;
import io.hybridlake.batch.BatchIngestor;
import io.hybridlake.batch.BatchJobs;
import io.hybridlake.batch.JdbcImporter;
import io.hybridlake.triggers.FunctionRequests.BatchRequest;
import io.hybridlake.triggers.FunctionRequests.JdbcImportRequest;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.List;

/** The batch path's HTTP functions (Funqy, POST /{function}): MERGE, curate, compact, vacuum, JDBC imports. */
public class BatchFunctions {
    @Inject
    JdbcImporter jdbcImporter;

    @Inject
    BatchJobs batchJobs;

    /** Copies a database table into a pipeline's batch layers (POST); re-running a run resumes or does nothing. */
    @Funq
    public BatchIngestor.Result importJdbc(JdbcImportRequest r) {
        if (r != null && (r.getUrl() != null || r.getUser() != null || r.getPassword() != null)) {
            throw new HybridlakeException.BadRequest("url", "imports read only from databases an operator declared "
                    + "(hybridlake.jdbc.sources.<name>.url/user/password): send 'source': '<name>', not a URL or "
                    + "credentials");
        }
        if (r == null || r.getTable() == null || r.getSource() == null || r.getSourceTable() == null) {
            throw new HybridlakeException.BadRequest("importJdbc", "'table', 'source' and 'sourceTable' are required");
        }
        return jdbcImporter.importTable(r.getTable(), r.getSource(), r.getSourceTable(), r.getRun());
    }

    /** Vacuums now (POST): deletes files no snapshot within the retention needs; a table's, or every pipeline's. */
    @Funq
    public List<Object> vacuum(BatchRequest request) {
        return run(BatchJobs.Job.VACUUM, request);
    }

    /** Recomputes curated tables now (POST) from the unified table: only partitions that changed. */
    @Funq
    public List<Object> curate(BatchRequest request) {
        return run(BatchJobs.Job.CURATE, request);
    }

    /** Compacts small files now (POST): a table's, or every pipeline's when none is given. */
    @Funq
    public List<Object> compact(BatchRequest request) {
        return run(BatchJobs.Job.COMPACT, request);
    }

    /**
     * MERGE now (POST): folds what refined/stream and refined/batch gained since the last run into
     * refined/merged, latest event time winning. A table, or every pipeline when none is given.
     */
    @Funq
    public List<Object> merge(BatchRequest request) {
        return run(BatchJobs.Job.MERGE, request);
    }

    /** The job's results; a table that failed fails the request, naming it (the others ran). */
    private List<Object> run(BatchJobs.Job job, BatchRequest request) {
        return (request != null && request.getTable() != null ? batchJobs.run(job, request.getTable())
                : batchJobs.run(job)).requireSucceeded().results();
    }
}
