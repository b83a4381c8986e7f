package io.hybridlake.serving.sql;

import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.CuratedSpec;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names SQL sees. For a pipeline {@code t}: {@code t} is the unified (merged) table without
 * tombstones; {@code merged_t} keeps them; {@code raw_stream_t}, {@code raw_batch_t},
 * {@code refined_stream_t}, {@code refined_batch_t}, {@code late_t}, {@code rejected_t} are the zone
 * tables; {@code unified_t} is the seed's unified view (batch before the batch watermark, stream after,
 * with {@code source_layer}). A curated table goes by its own name.
 */
public final class SqlTables {
    /** What a name reads: a table (optionally only its live rows), or the unified view of a pipeline. */
    public record Source(String name, TablePath path, boolean liveRowsOnly, String unifiedOf) {
        static Source table(String name, TablePath path) {
            return new Source(name, path, false, null);
        }
    }

    private SqlTables() {
    }

    public static Map<String, Source> of(PipelineCatalog catalog) {
        Map<String, Source> names = new LinkedHashMap<>();
        for (PipelineSpec spec : catalog.all()) {
            String t = spec.table();
            names.put(t, new Source(t, TablePath.merged(t), true, null));
            names.put("merged_" + t, Source.table("merged_" + t, TablePath.merged(t)));
            names.put("raw_stream_" + t, Source.table("raw_stream_" + t, TablePath.rawStream(t)));
            names.put("raw_batch_" + t, Source.table("raw_batch_" + t, TablePath.rawBatch(t)));
            names.put("refined_stream_" + t, Source.table("refined_stream_" + t, TablePath.refinedStream(t)));
            names.put("refined_batch_" + t, Source.table("refined_batch_" + t, TablePath.refinedBatch(t)));
            names.put("late_" + t, Source.table("late_" + t, TablePath.late(t)));
            names.put("rejected_" + t, Source.table("rejected_" + t, TablePath.rejected(t)));
            names.put("unified_" + t, new Source("unified_" + t, null, false, t));
            for (CuratedSpec c : spec.curated()) {
                names.put(c.name(), Source.table(c.name(), TablePath.of("curated/warehouse", c.name())));
            }
        }
        return names;
    }
}
