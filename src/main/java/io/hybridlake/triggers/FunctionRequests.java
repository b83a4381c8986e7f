package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridlake.HybridlakeException;
import io.hybridlake.serving.TableQueries;
import java.util.List;

/**
 * What the HTTP functions (Funqy) take: a JSON body on POST, or query parameters on GET, bound to
 * these beans' setters. Each function checks what it needs and answers 400 naming what is missing.
 */
public final class FunctionRequests {
    private FunctionRequests() {
    }

    public static class IngestRequest {
        private String table;
        private List<JsonNode> events;

        public String getTable() {
            return table;
        }

        public void setTable(String value) {
            this.table = value;
        }

        public List<JsonNode> getEvents() {
            return events;
        }

        public void setEvents(List<JsonNode> value) {
            this.events = value;
        }
    }

    public static class TableRequest {
        /** The table this request names, as of its version or time; {@code function} names the call in errors. */
        static TableQueries.TableRef ref(TableRequest request, String function) {
            if (request == null || request.getTable() == null) {
                throw new HybridlakeException.BadRequest(function, "the 'table' parameter is required");
            }
            return new TableQueries.TableRef(request.getTable(), request.getZone(), request.getVersion(),
                    request.getAsOf());
        }

        /** The request's {@code limit}, or {@code absent} when it has none. */
        int limitOr(int absent) {
            return limit == null ? absent : limit;
        }

        private String table;
        /** raw/stream, refined/stream (default), _rejected, ... */
        private String zone;
        /** A past version (time travel); latest when absent. */
        private Long version;
        /** Or a past time (ISO-8601): the version current then. */
        private String asOf;
        /** Rows to return from tableRows (default 100, at most 10,000). */
        private Integer limit;

        public String getAsOf() {
            return asOf;
        }

        public void setAsOf(String value) {
            this.asOf = value;
        }

        public Integer getLimit() {
            return limit;
        }

        public void setLimit(Integer value) {
            this.limit = value;
        }

        public String getTable() {
            return table;
        }

        public void setTable(String value) {
            this.table = value;
        }

        public String getZone() {
            return zone;
        }

        public void setZone(String value) {
            this.zone = value;
        }

        public Long getVersion() {
            return version;
        }

        public void setVersion(Long value) {
            this.version = value;
        }
    }

    public static class WindowsRequest {
        private String table;
        private String window;
        private String key;
        private Integer limit;

        public String getTable() {
            return table;
        }

        public void setTable(String value) {
            this.table = value;
        }

        public String getWindow() {
            return window;
        }

        public void setWindow(String value) {
            this.window = value;
        }

        public String getKey() {
            return key;
        }

        public void setKey(String value) {
            this.key = value;
        }

        public Integer getLimit() {
            return limit;
        }

        public void setLimit(Integer value) {
            this.limit = value;
        }
    }

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

    public static class ReplayRequest {
        private String table;
        private Long fromOffset;
        /** One partition; every partition of the table's topic when absent. */
        private Integer partition;

        public String getTable() {
            return table;
        }

        public void setTable(String value) {
            this.table = value;
        }

        public Long getFromOffset() {
            return fromOffset;
        }

        public void setFromOffset(Long value) {
            this.fromOffset = value;
        }

        public Integer getPartition() {
            return partition;
        }

        public void setPartition(Integer value) {
            this.partition = value;
        }
    }
}
