package io.hybridlake.batch;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.Vacuum;
import io.hybridlake.pipeline.PipelineSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Vacuum of every table of a pipeline with one retention. Below an hour is refused (Delta Lake's own
 * guard): a shorter retention can delete files that a running query or a slow writer still needs.
 */
public final class Vacuumer {
    static final Duration MIN_RETENTION = Duration.ofHours(1);

    private final Lake lake;
    private final Duration retention;
    private final LongSupplier clock;

    public Vacuumer(Lake lake, Duration retention, LongSupplier clockMillis) {
        if (retention.compareTo(MIN_RETENTION) < 0) {
            throw new HybridlakeException("hybridlake.batch.vacuum-retention", "a vacuum retention of " + retention
                    + " is below the minimum of " + MIN_RETENTION + ": files a running reader needs could be deleted");
        }
        this.lake = lake;
        this.retention = retention;
        this.clock = clockMillis;
    }

    public List<Vacuum.Result> vacuum(PipelineSpec spec) {
        String t = spec.table();
        List<Vacuum.Result> out = new ArrayList<>();
        for (TablePath path : List.of(TablePath.rawStream(t), TablePath.rawBatch(t), TablePath.refinedStream(t),
                TablePath.refinedBatch(t), TablePath.merged(t), TablePath.rejected(t), TablePath.late(t))) {
            out.add(lake.vacuum(path, retention.toMillis(), clock.getAsLong()));
        }
        return out;
    }
}
