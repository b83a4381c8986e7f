package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TableInfo;
import io.hybridlake.lake.TablePath;
import io.hybridlake.ops.Lineage;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.TableQueries;
import io.hybridlake.serving.WindowQueries;
import io.hybridlake.serving.WindowView;
import io.hybridlake.stream.Ingestor;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import io.hybridlake.stream.StreamStatus;
import io.hybridlake.triggers.FunctionRequests.IngestRequest;
import io.hybridlake.triggers.FunctionRequests.TableRequest;
import io.hybridlake.triggers.FunctionRequests.WindowsRequest;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The platform's HTTP functions (Funqy): POST or GET /{function}. Each decodes, calls the core, encodes. */
public class LakeFunctions {
    @Inject
    Ingestor ingestor;

    @Inject
    Lake lake;

    @Inject
    PipelineCatalog catalog;

    @Inject
    SpeedCache cache;

    @Inject
    StreamMetrics metrics;

    @Inject
    StreamPath streamPath;

    @Inject
    ObjectMapper json;

    /** Publishes events (JSON objects) to the table's topic; answers once the broker acknowledged them all. */
    @Funq
    public Ingestor.Receipt ingest(IngestRequest request) throws Exception {
        if (request == null || request.getTable() == null || request.getEvents() == null) {
            throw new HybridlakeException.BadRequest("ingest", "send {\"table\": \"<name>\", \"events\": [ {...}, ... ]}");
        }
        return publish(ingestor, json, request.getTable(), request.getEvents());
    }

    /** Publishes JSON events to a table's topic (also for the Functions host's IngestHttp). */
    static Ingestor.Receipt publish(Ingestor ingestor, ObjectMapper json, String table, Iterable<JsonNode> events)
            throws Exception {
        List<byte[]> bytes = new ArrayList<>();
        for (JsonNode e : events) {
            bytes.add(json.writeValueAsBytes(e));
        }
        return ingestor.ingest(table, bytes);
    }

    /** A table's Delta version, row count, file count, size and schema, read from its log. */
    @Funq
    public TableInfo tableInfo(TableRequest request) {
        return new TableQueries(lake).info(ref(request, "tableInfo"));
    }

    /** A table's rows (up to {@code limit}), at the latest version or as of a version or time. */
    @Funq
    public List<Map<String, Object>> tableRows(TableRequest request) {
        return new TableQueries(lake).rows(ref(request, "tableRows"),
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
        return new Lineage(lake, catalog).of(path, limit);
    }

    private static TableQueries.TableRef ref(TableRequest request, String function) {
        if (request == null || request.getTable() == null) {
            throw new HybridlakeException.BadRequest(function, "the 'table' parameter is required");
        }
        return new TableQueries.TableRef(request.getTable(), request.getZone(), request.getVersion(), request.getAsOf());
    }

    /** A key's window aggregates from the speed cache, oldest window first. */
    @Funq
    public List<WindowView> windows(WindowsRequest request) {
        if (request == null || request.getTable() == null) {
            throw new HybridlakeException.BadRequest("windows", "the 'table' and 'key' parameters are required");
        }
        return new WindowQueries(catalog, cache).windows(request.getTable(), request.getWindow(), request.getKey(),
                request.getLimit() == null ? 1000 : request.getLimit());
    }

    /** Resets the stream-path counters and latency histograms (POST); returns what they held. */
    @Funq
    public Map<String, Object> resetStreamStatus() {
        Map<String, Object> before = streamStatus();
        metrics.reset();
        return before;
    }

    /** Stream-path counters and latencies since start (or the last reset). */
    @Funq
    public Map<String, Object> streamStatus() {
        return StreamStatus.of(streamPath, catalog, lake.storageCalls());
    }
}
