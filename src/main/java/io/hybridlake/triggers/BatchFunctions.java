package io.hybridlake.triggers;

import io.hybridlake.HybridlakeException;
import io.hybridlake.batch.BatchIngestor;
import io.hybridlake.batch.Compactor;
import io.hybridlake.batch.Curator;
import io.hybridlake.batch.Merger;
import io.hybridlake.lake.Vacuum;
import io.hybridlake.pipeline.PipelineSpec;
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
    public List<Vacuum.Result> vacuum(BatchRequest request) {
        return recorded("vacuum", () -> pipelines(request).stream().flatMap(spec -> platform.vacuumer().vacuum(spec)
                .stream()).toList(), Vacuum.Result::filesDeleted);
    }

    /** Recomputes curated tables now (POST) from the unified table: only partitions that changed. */
    @Funq
    public List<Curator.Result> curate(BatchRequest request) {
        return recorded("curate", () -> pipelines(request).stream().flatMap(spec -> platform.curator().curate(spec)
                .stream()).toList(), Curator.Result::rows);
    }

    /** Compacts small files now (POST): a table's, or every pipeline's when none is given. */
    @Funq
    public List<Compactor.Result> compact(BatchRequest request) {
        return recorded("compact", () -> pipelines(request).stream().flatMap(spec -> platform.compactor().compact(spec)
                .stream()).toList(), Compactor.Result::filesCompacted);
    }

    /**
     * MERGE now (POST): folds what refined/stream and refined/batch gained since the last run into
     * refined/merged, latest event time winning. A table, or every pipeline when none is given.
     */
    @Funq
    public List<Merger.Result> merge(BatchRequest request) {
        return recorded("merge", () -> pipelines(request).stream().map(spec -> platform.merger().merge(spec)).toList(),
                Merger.Result::rowsRead);
    }

    /** Runs a batch job on demand, recorded like a timed run (metrics, the operations health check). */
    private <T> List<T> recorded(String job, java.util.function.Supplier<List<T>> work,
            java.util.function.ToLongFunction<T> records) {
        List<List<T>> out = new java.util.ArrayList<>(1);
        try {
            platform.batchRuns().record(job, () -> {
                out.add(work.get());
                return out.get(0).stream().mapToLong(records).sum();
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.get(0);
    }

    private List<PipelineSpec> pipelines(BatchRequest request) {
        return request != null && request.getTable() != null ? List.of(platform.catalog().table(request.getTable()))
                : List.copyOf(platform.catalog().all());
    }
}
