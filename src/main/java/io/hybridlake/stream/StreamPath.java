package io.hybridlake.stream;

import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.RowBatch;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.JsonEventDecoder;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.pipeline.RowRules;
import io.hybridlake.pipeline.ZoneSchemas;
import io.hybridlake.serving.SpeedCache;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The Kappa path for one batch of one source partition: decode, validate, apply rules, then commit
 * rejected → refined → window states → raw, each step exactly once (see docs/DESIGN.md §2–3). Holds no
 * state between batches beyond compiled pipelines: progress lives in the tables' transaction ids and
 * the cache's high-water marks, so any instance can process any batch.
 */
public final class StreamPath {
    /** Where rejected records of topics that have no pipeline go. */
    static final TablePath UNROUTED = new TablePath("_rejected/_unrouted");

    private final Lake lake;
    private final PipelineCatalog catalog;
    private final WindowUpdater windows;
    private final LongSupplier clock;
    private final StreamMetrics metrics;
    private final int maxEventBytes;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    /** A pipeline prepared for the stream path. */
    private record Compiled(PipelineSpec spec, RowRules rules, JsonEventDecoder decoder, TableSchema refinedSchema,
            List<WindowUpdater.Plan> plans) {
    }

    public StreamPath(Lake lake, PipelineCatalog catalog, SpeedCache cache, LongSupplier clockMillis,
            StreamMetrics metrics, int maxEventBytes) {
        this.lake = lake;
        this.catalog = catalog;
        this.windows = new WindowUpdater(cache, clockMillis);
        this.clock = clockMillis;
        this.metrics = metrics;
        this.maxEventBytes = maxEventBytes;
    }

    public StreamMetrics metrics() {
        return metrics;
    }

    private Compiled compile(PipelineSpec spec) {
        return compiled.computeIfAbsent(spec.table(), t -> {
            RowRules rules = new RowRules(spec);
            return new Compiled(spec, rules, new JsonEventDecoder(spec.fields(), maxEventBytes),
                    ZoneSchemas.refined(rules), spec.windows().stream().map(w -> WindowUpdater.Plan.of(w, rules)).toList());
        });
    }

    /** Resume position for a source partition: one past the last offset whose batch completed, or -1 if none. */
    public long nextOffset(String topic, int partition) {
        String appId = new EventBatch(topic, partition, List.of()).appId();
        TablePath completion = catalog.forTopic(topic).map(s -> TablePath.rawStream(s.table())).orElse(UNROUTED);
        long last = lake.table(completion).lastTransactionVersion(appId);
        return last < 0 ? -1 : last + 1;
    }

    public BatchOutcome process(EventBatch batch) {
        if (batch.records().isEmpty()) {
            return new BatchOutcome(batch.topic(), batch.partition(), -1, 0, 0, 0, 0, 0, false);
        }
        long started = clock.getAsLong();
        BatchOutcome outcome = catalog.forTopic(batch.topic())
                .map(spec -> processPipeline(batch, compile(spec)))
                .orElseGet(() -> processUnrouted(batch));
        long now = clock.getAsLong();
        if (!outcome.replaySkipped()) {
            for (SourceRecord r : batch.records()) {
                metrics.freshness.record(now - r.timestampMillis());
            }
        }
        metrics.batchDuration.record(now - started);
        metrics.count(outcome);
        return outcome;
    }

    private BatchOutcome processPipeline(EventBatch batch, Compiled p) {
        String appId = batch.appId();
        long last = batch.lastOffset();
        LakeTable raw = lake.table(TablePath.rawStream(p.spec().table()));
        if (raw.lastTransactionVersion(appId) >= last) {
            return new BatchOutcome(batch.topic(), batch.partition(), last, batch.records().size(), 0, 0, 0, 0, true);
        }
        DecodedBatch d = DecodedBatch.decode(batch, p.rules(), p.decoder());
        long now = clock.getAsLong();
        if (d.rejected > 0) {
            lake.table(TablePath.rejected(p.spec().table()))
                    .appendExactlyOnce(ZoneSchemas.REJECTED, appId, last, after -> rejectedRows(d, after, now));
        }
        if (d.refined > 0) {
            lake.table(TablePath.refinedStream(p.spec().table()))
                    .appendExactlyOnce(p.refinedSchema(), appId, last, after -> refinedRows(d, p, after, now));
        }
        int windowsUpdated = windows.apply(p.spec().table(), p.plans(), d);
        raw.appendExactlyOnce(ZoneSchemas.RAW, appId, last, after -> rawRows(batch, after));
        return new BatchOutcome(batch.topic(), batch.partition(), last, batch.records().size(), d.refined, d.filtered,
                d.rejected, windowsUpdated, false);
    }

    private BatchOutcome processUnrouted(EventBatch batch) {
        DecodedBatch d = DecodedBatch.rejectAll(batch, "no pipeline reads topic '" + batch.topic()
                + "'; define one (pipelines/*.yaml) or stop producing to this topic");
        long now = clock.getAsLong();
        var result = lake.table(UNROUTED).appendExactlyOnce(ZoneSchemas.REJECTED, batch.appId(), batch.lastOffset(),
                after -> rejectedRows(d, after, now));
        return new BatchOutcome(batch.topic(), batch.partition(), batch.lastOffset(), batch.records().size(), 0, 0,
                d.rejected, 0, !result.committed());
    }

    private static RowBatch rawRows(EventBatch batch, long after) {
        RowBatch rows = new RowBatch(ZoneSchemas.RAW, batch.records().size());
        for (SourceRecord r : batch.records()) {
            if (r.offset() <= after) {
                continue;
            }
            rows.setObject(0, batch.topic());
            rows.setInt(1, batch.partition());
            rows.setLong(2, r.offset());
            rows.setLong(3, r.timestampMillis() * 1000);
            rows.setObject(4, r.key());
            rows.setObject(5, r.value());
            rows.setObject(6, headersJson(r.headers()));
            rows.setInt(7, (int) Math.floorDiv(r.timestampMillis(), 86_400_000L));
            rows.endRow();
        }
        return rows;
    }

    private static RowBatch rejectedRows(DecodedBatch d, long after, long nowMillis) {
        RowBatch rows = new RowBatch(ZoneSchemas.REJECTED, Math.max(1, d.rejected));
        List<SourceRecord> records = d.batch.records();
        for (int i = 0; i < records.size(); i++) {
            SourceRecord r = records.get(i);
            if (d.violations[i] == null || r.offset() <= after) {
                continue;
            }
            rows.setObject(0, d.batch.topic());
            rows.setInt(1, d.batch.partition());
            rows.setLong(2, r.offset());
            rows.setLong(3, r.timestampMillis() * 1000);
            rows.setObject(4, r.key());
            rows.setObject(5, r.value());
            rows.setObject(6, d.violations[i].reason());
            rows.setObject(7, d.violations[i].field());
            rows.setLong(8, nowMillis * 1000);
            rows.setInt(9, (int) Math.floorDiv(nowMillis, 86_400_000L));
            rows.endRow();
        }
        return rows;
    }

    private static RowBatch refinedRows(DecodedBatch d, Compiled p, long after, long nowMillis) {
        TableSchema schema = p.refinedSchema();
        RowBatch rows = new RowBatch(schema, Math.max(1, d.refined));
        List<SourceRecord> records = d.batch.records();
        int lineage = schema.size() - ZoneSchemas.REFINED_LINEAGE.size();
        for (int i = 0; i < records.size(); i++) {
            Object[] row = d.rows[i];
            if (row == null || records.get(i).offset() <= after) {
                continue;
            }
            for (int c = 0; c < lineage; c++) {
                rows.set(c, row[c]);
            }
            rows.setObject(lineage, d.batch.topic());
            rows.setInt(lineage + 1, d.batch.partition());
            rows.setLong(lineage + 2, records.get(i).offset());
            rows.setLong(lineage + 3, nowMillis * 1000);
            rows.endRow();
        }
        return rows;
    }

    static String headersJson(Map<String, byte[]> headers) {
        if (headers == null || headers.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, byte[]> h : headers.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            appendJsonString(sb, h.getKey());
            sb.append(':');
            if (h.getValue() == null) {
                sb.append("null");
            } else {
                appendJsonString(sb, new String(h.getValue(), StandardCharsets.UTF_8));
            }
        }
        return sb.append('}').toString();
    }

    private static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
