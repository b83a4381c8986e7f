package io.hybridlake.triggers;

import io.hybridlake.HybridlakeException;
import io.hybridlake.batch.BatchIngestor;
import io.hybridlake.batch.BatchJobs;
import io.hybridlake.runtime.Platform;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.List;

/** The batch path's HTTP functions (Funqy, POST /{function}): MERGE, curate, compact, vacuum, JDBC imports. */
public class BatchFunctions {
    @Inject
    Platform platform;

    /** A pipeline's table; every pipeline when absent. */
    public static class BatchRequest {
        private String table;

        public String getTable() {
            return table;
        }

        public void setTable(String value) {
            this.table = value;
        }
    }

    /**
     * A JDBC migration request: a database an operator declared ({@code source}), never a URL or
     * credentials ({@code url}, {@code user} and {@code password} are accepted only to refuse them clearly).
     */
    public static class JdbcImportRequest {
        private String table;
        private String source;
        private String url;
        private String user;
        private String password;
        private String sourceTable;
        private String run;

        public String getTable() {
            return table;
        }

        public void setTable(String value) {
            this.table = value;
        }

        public String getSource() {
            return source;
        }

        public void setSource(String value) {
            this.source = value;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String value) {
            this.url = value;
        }

        public String getUser() {
            return user;
        }

        public void setUser(String value) {
            this.user = value;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String value) {
            this.password = value;
        }

        public String getSourceTable() {
            return sourceTable;
        }

        public void setSourceTable(String value) {
            this.sourceTable = value;
        }

        public String getRun() {
            return run;
        }

        public void setRun(String value) {
            this.run = value;
        }
    }

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
        return platform.jdbcImporter().importTable(r.getTable(), r.getSource(), r.getSourceTable(), r.getRun());
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
        BatchJobs.Run run = request != null && request.getTable() != null
                ? platform.batchJobs().run(job, request.getTable()) : platform.batchJobs().run(job);
        BatchSchedules.log(run);
        if (!run.failures().isEmpty()) {
            BatchJobs.Part first = run.failures().get(0);
            throw new HybridlakeException(first.table(), job.label() + " of " + first.table() + " failed: "
                    + first.error());
        }
        return run.results();
    }
}
