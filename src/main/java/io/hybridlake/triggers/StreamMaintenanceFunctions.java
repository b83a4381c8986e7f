package io.hybridlake.triggers;

import io.hybridlake.HybridlakeException;
import io.hybridlake.runtime.TopicReplay;
import io.hybridlake.stream.Replay;
import io.hybridlake.stream.SpeedLayerRebuild;
import io.hybridlake.stream.StreamPath;
import io.hybridlake.triggers.FunctionRequests.BatchRequest;
import io.hybridlake.triggers.FunctionRequests.ReplayRequest;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/** Operations on the stream path's output (Funqy): reprocess from an offset, rebuild the speed cache. */
public class StreamMaintenanceFunctions {
    @Inject
    TopicReplay topicReplay;

    @Inject
    StreamPath streamPath;

    /**
     * Reprocesses a pipeline's stream output from a broker offset with the pipeline as it is now
     * (POST {@code {"table", "fromOffset", "partition"?}}); the stream pauses meanwhile.
     */
    @Funq
    public Replay.Result replay(ReplayRequest request) {
        if (request == null || request.getTable() == null || request.getFromOffset() == null) {
            throw new HybridlakeException.BadRequest("replay",
                    "send {\"table\": \"<name>\", \"fromOffset\": <offset>, \"partition\": <optional>}");
        }
        return topicReplay.replay(request.getTable(), request.getFromOffset(), request.getPartition());
    }

    /** Recomputes a pipeline's windows in the speed cache from its refined/stream table (POST {@code {"table"}}). */
    @Funq
    public SpeedLayerRebuild.Result rebuildSpeedCache(BatchRequest request) {
        if (request == null || request.getTable() == null) {
            throw new HybridlakeException.BadRequest("rebuildSpeedCache", "send {\"table\": \"<name>\"}");
        }
        return streamPath.rebuildSpeedLayer(request.getTable());
    }
}
