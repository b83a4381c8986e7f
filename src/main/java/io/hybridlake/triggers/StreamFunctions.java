package io.hybridlake.triggers;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.Lake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.serving.SpeedCache;
import io.hybridlake.serving.WindowQueries;
import io.hybridlake.serving.WindowView;
import io.hybridlake.stream.EventBodies;
import io.hybridlake.stream.Ingestor;
import io.hybridlake.stream.StreamMetrics;
import io.hybridlake.stream.StreamPath;
import io.hybridlake.stream.StreamStatus;
import io.hybridlake.triggers.FunctionRequests.IngestRequest;
import io.hybridlake.triggers.FunctionRequests.WindowsRequest;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/** The stream path over HTTP (Funqy: POST or GET /{function}): publish events, read windows, see counters. */
public class StreamFunctions {
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

    /** Publishes events (JSON objects) to the table's topic; answers once the broker acknowledged them all. */
    @Funq
    public Ingestor.Receipt ingest(IngestRequest request) {
        if (request == null || request.getTable() == null || request.getEvents() == null) {
            throw new HybridlakeException.BadRequest("ingest", "send {\"table\": \"<name>\", \"events\": [ {...}, ... ]}");
        }
        return ingestor.ingest(request.getTable(), EventBodies.of(request.getEvents()));
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
