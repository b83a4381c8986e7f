package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.TableInfo;
import io.hybridlake.lake.TablePath;
import io.hybridlake.ops.Lineage;
import io.hybridlake.runtime.Platform;
import io.hybridlake.serving.TableQueries;
import io.hybridlake.serving.WindowQueries;
import io.hybridlake.serving.WindowView;
import io.hybridlake.stream.Ingestor;
import io.hybridlake.stream.StreamStatus;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The platform's HTTP functions (Funqy): POST or GET /{function}. Each decodes, calls the core, encodes. */
public class LakeFunctions {
    @Inject
    Platform platform;

    @Inject
    ObjectMapper json;

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

    /** Publishes events (JSON objects) to the table's topic; answers once the broker acknowledged them all. */
    @Funq
    public Ingestor.Receipt ingest(IngestRequest request) throws Exception {
        if (request == null || request.getTable() == null || request.getEvents() == null) {
            throw new HybridlakeException.BadRequest("ingest", "send {\"table\": \"<name>\", \"events\": [ {...}, ... ]}");
        }
        return publish(platform, json, request.getTable(), request.getEvents());
    }

    /** Publishes JSON events to a table's topic (also for the Functions host's IngestHttp). */
    static Ingestor.Receipt publish(Platform platform, ObjectMapper json, String table, Iterable<JsonNode> events)
            throws Exception {
        List<byte[]> bytes = new ArrayList<>();
        for (JsonNode e : events) {
            bytes.add(json.writeValueAsBytes(e));
        }
        return platform.ingestor().ingest(table, bytes);
    }

    public static class TableRequest {
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

    /** A table's Delta version, row count, file count, size and schema, read from its log. */
    @Funq
    public TableInfo tableInfo(TableRequest request) {
        return new TableQueries(platform.lake()).info(ref(request, "tableInfo"));
    }

    /** A table's rows (up to {@code limit}), at the latest version or as of a version or time. */
    @Funq
    public List<Map<String, Object>> tableRows(TableRequest request) {
        return new TableQueries(platform.lake()).rows(ref(request, "tableRows"),
                request.getLimit() == null ? 100 : request.getLimit());
    }

    /**
     * A table's lineage: its pipeline's data flow, its upstreams and downstreams, and its newest
     * commits ({@code limit}, default 20) with the offsets, files and upstream versions each recorded.
     */
    @Funq
    public Lineage.View lineage(TableRequest request) {
        TablePath path = TableQueries.path(ref(request, "lineage"));
        int limit = request.getLimit() == null ? 20 : request.getLimit();
        if (limit < 1 || limit > 1000) {
            throw new HybridlakeException.BadRequest(path.relative(), "limit must be 1..1000, not " + limit);
        }
        return new Lineage(platform.lake(), platform.catalog()).of(path, limit);
    }

    private static TableQueries.TableRef ref(TableRequest request, String function) {
        if (request == null || request.getTable() == null) {
            throw new HybridlakeException.BadRequest(function, "the 'table' parameter is required");
        }
        return new TableQueries.TableRef(request.getTable(), request.getZone(), request.getVersion(), request.getAsOf());
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

    /** A key's window aggregates from the speed cache, oldest window first. */
    @Funq
    public List<WindowView> windows(WindowsRequest request) {
        if (request == null || request.getTable() == null) {
            throw new HybridlakeException.BadRequest("windows", "the 'table' and 'key' parameters are required");
        }
        int limit = request.getLimit() == null ? 1000 : request.getLimit();
        if (limit < 1 || limit > 100_000) {
            throw new HybridlakeException.BadRequest("limit", "limit must be 1..100000, not " + limit);
        }
        return new WindowQueries(platform.catalog(), platform.cache())
                .windows(request.getTable(), request.getWindow(), request.getKey(), limit);
    }

    /** Resets the stream-path counters and latency histograms (POST); returns what they held. */
    @Funq
    public Map<String, Object> resetStreamStatus() {
        Map<String, Object> before = streamStatus();
        platform.metrics().reset();
        return before;
    }

    /** Stream-path counters and latencies since start (or the last reset). */
    @Funq
    public Map<String, Object> streamStatus() {
        return StreamStatus.of(platform.streamPath(), platform.catalog(), platform.lake().storageCalls());
    }
}
