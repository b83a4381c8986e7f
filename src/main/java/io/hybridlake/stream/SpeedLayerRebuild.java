package io.hybridlake.stream;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableReader;
import io.hybridlake.pipeline.ZoneSchemas;
import io.hybridlake.serving.SpeedCache;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Recomputes a pipeline's windows from the lake: removes them from the speed cache, then applies the
 * refined/stream rows of one version, per source partition in offset order, through the same
 * {@link WindowUpdater} the stream path uses (so each window's high-water offsets are what the live
 * path expects next). Late and duplicate events are not in refined, so they stay uncounted, as live.
 * Runs with the stream paused ({@link StreamPath#rebuildSpeedLayer}). Holds the table's rows in memory.
 */
public final class SpeedLayerRebuild {
    private static final int ROWS_PER_APPLY = 50_000;

    /** What a rebuild did: the refined version read, rows applied, windows removed and written. */
    public record Result(String table, long refinedVersion, long rows, int windowsRemoved, int windowsWritten) {
    }

    private final Lake lake;
    private final SpeedCache cache;
    private final WindowUpdater windows;

    SpeedLayerRebuild(Lake lake, SpeedCache cache, WindowUpdater windows) {
        this.lake = lake;
        this.cache = cache;
        this.windows = windows;
    }

    Result rebuild(CompiledPipeline p) {
        String table = p.spec.table();
        LakeTable refined = lake.table(TablePath.refinedStream(table));
        long version = refined.latestVersion();
        int removed = cache.removeWindows(table);
        if (version < 0 || p.plans.isEmpty()) {
            return new Result(table, version, 0, removed, 0);
        }
        int lineage = p.refinedSchema.size() - ZoneSchemas.REFINED_LINEAGE.size();
        Map<String, List<Object[]>> bySource = new TreeMap<>(); // topic \0 partition -> rows
        long[] rows = {0};
        new TableReader(refined).forEachRow(OptionalLong.of(version), row -> {
            bySource.computeIfAbsent(row[lineage] + "\0" + row[lineage + 1], k -> new ArrayList<>()).add(row);
            rows[0]++;
        });
        int written = 0;
        for (Map.Entry<String, List<Object[]>> source : bySource.entrySet()) {
            List<Object[]> all = source.getValue();
            all.sort(Comparator.comparingLong(r -> (Long) r[lineage + 2]));
            String topic = (String) all.get(0)[lineage];
            int partition = (Integer) all.get(0)[lineage + 1];
            for (int from = 0; from < all.size(); from += ROWS_PER_APPLY) {
                List<Object[]> chunk = all.subList(from, Math.min(all.size(), from + ROWS_PER_APPLY));
                List<SourceRecord> records = new ArrayList<>(chunk.size());
                for (Object[] row : chunk) {
                    records.add(new SourceRecord((Long) row[lineage + 2], 0, null, null, Map.of()));
                }
                EventBatch batch = new EventBatch(topic, partition, records);
                written += windows.apply(table, p.plans, List.of(DecodedBatch.ofRefined(batch, chunk)));
            }
        }
        return new Result(table, version, rows[0], removed, written);
    }
}
