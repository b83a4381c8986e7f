package io.hybridlake.triggers;

import io.hybridlake.HybridlakeException;
import io.hybridlake.runtime.Platform;
import io.hybridlake.stream.Replay;
import io.hybridlake.stream.SpeedLayerRebuild;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/** Operations on the stream path's output (Funqy): reprocess from an offset, rebuild the speed cache. */
public class StreamMaintenanceFunctions {
    @Inject
    Platform platform;

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
        return platform.replay(request.getTable(), request.getFromOffset(), request.getPartition());
    }

    /** Recomputes a pipeline's windows in the speed cache from its refined/stream table (POST {@code {"table"}}). */
    @Funq
    public SpeedLayerRebuild.Result rebuildSpeedCache(BatchFunctions.BatchRequest request) {
        if (request == null || request.getTable() == null) {
            throw new HybridlakeException.BadRequest("rebuildSpeedCache", "send {\"table\": \"<name>\"}");
        }
        return platform.streamPath().rebuildSpeedLayer(request.getTable());
    }
}
