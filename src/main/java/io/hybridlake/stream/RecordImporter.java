package io.hybridlake.stream;

import io.hybridlake.lake.CommitHistory;
import io.hybridlake.lake.CommitLineage;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TableAppends;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.ZoneSchemas;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The batch path's writer: records that are not a live stream (files, backfills, database exports)
 * go through the same decoding, validation and rules as stream events ({@link DecodedBatch}) into
 * {@code _rejected}, {@code refined/batch} and {@code raw/batch} — raw last, as the completion record —
 * exactly once per (source, offset): a source is e.g. one file, its offsets the record numbers.
 * No watermark or de-duplication: history is late by nature, and MERGE resolves versions.
 */
public final class RecordImporter {
    private final Lake lake;
    private final LongSupplier clock;
    private final int maxEventBytes;
    private final Map<String, CompiledPipeline> compiled = new ConcurrentHashMap<>();
    private final PipelineCatalog catalog;
    private final PipelineEvolution evolution;

    public RecordImporter(Lake lake, PipelineCatalog catalog, LongSupplier clockMillis, int maxEventBytes) {
        this.lake = lake;
        this.catalog = catalog;
        this.clock = clockMillis;
        this.maxEventBytes = maxEventBytes;
        this.evolution = new PipelineEvolution(lake, catalog);
    }

    /** The pipeline as it is now (it may have evolved since {@code spec} was read), compiled. */
    private CompiledPipeline compile(PipelineSpec spec) {
        PipelineSpec current = catalog.table(spec.table());
        return compiled.compute(spec.table(), (t, known) -> known != null && known.spec == current ? known
                : new CompiledPipeline(current, maxEventBytes));
    }

    /** The last offset of {@code source} completed in the pipeline's raw/batch table, or -1. */
    public long lastCompleted(PipelineSpec spec, String source) {
        return lake.table(TablePath.rawBatch(spec.table())).lastTransactionVersion(appId(source));
    }

    /** The newest {@code limit} commits of the pipeline's raw/batch table (each import chunk is one), newest first. */
    public List<CommitHistory.Commit> importCommits(PipelineSpec spec, int limit) {
        var raw = lake.table(TablePath.rawBatch(spec.table()));
        return raw.latestVersion() < 0 ? List.of() : raw.history(limit);
    }

    /** Imports one batch of consecutive records of one source; records already committed are skipped. */
    public BatchOutcome importBatch(PipelineSpec spec, EventBatch batch) {
        return CommitLineage.during(Map.of(CommitLineage.JOB, "import", CommitLineage.PIPELINE, spec.table(),
                CommitLineage.SOURCE, EventBatch.ranges(List.of(batch))), () -> importLogged(spec, batch));
    }

    private BatchOutcome importLogged(PipelineSpec spec, EventBatch batch) {
        CompiledPipeline p = compile(spec);
        LakeTable raw = lake.table(TablePath.rawBatch(spec.table()));
        if (raw.knownTransactionVersion(batch.appId()) >= batch.lastOffset()) {
            return BatchOutcome.skipped(batch);
        }
        DecodedBatch d = DecodedBatch.decode(batch, p);
        if (!d.newFields.isEmpty()) {
            PipelineSpec evolved = evolution.addFields(spec.table(), d.newFields.types());
            if (evolved != p.spec) { // decode again so the new columns get their values
                p = compile(evolved);
                d = DecodedBatch.decode(batch, p);
            }
        }
        CompiledPipeline compiledPipeline = p;
        List<DecodedBatch> decoded = List.of(d);
        Map<String, Long> marks = Map.of(batch.appId(), batch.lastOffset());
        long now = clock.getAsLong();
        if (d.rejected > 0) {
            new TableAppends(lake.table(TablePath.rejected(spec.table())))
                    .appendExactlyOnce(ZoneSchemas.REJECTED, marks, committed -> ZoneRows.rejected(decoded, committed, now));
        }
        if (d.refined > 0) {
            new TableAppends(lake.table(TablePath.refinedBatch(spec.table()))).appendExactlyOnce(compiledPipeline.refinedSchema,
                    marks, committed -> ZoneRows.refined(decoded, compiledPipeline, committed, now));
        }
        new TableAppends(raw).appendExactlyOnce(ZoneSchemas.RAW, marks,
                committed -> ZoneRows.raw(decoded.stream().map(x -> x.batch).toList(), committed));
        return BatchOutcome.of(d, 0, false);
    }

    private static String appId(String source) {
        return EventBatch.appId(source, 0);
    }
}
