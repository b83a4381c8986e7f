package io.hybridlake.stream;

import io.hybridlake.lake.RowBatch;
import io.hybridlake.lake.TableSchema;
import io.hybridlake.pipeline.ZoneSchemas;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The rows each zone table gets from a poll's decoded batches, skipping every record at or below the
 * offset the table has already committed for its partition (the exactly-once filter).
 */
final class ZoneRows {
    private ZoneRows() {
    }

    static RowBatch raw(List<EventBatch> batches, Map<String, Long> committed) {
        RowBatch rows = new RowBatch(ZoneSchemas.RAW, batches.stream().mapToInt(b -> b.records().size()).sum());
        for (EventBatch b : batches) {
            appendRaw(rows, b, committed.get(b.appId()));
        }
        return rows;
    }

    private static void appendRaw(RowBatch rows, EventBatch batch, long after) {
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
            SourceMetadata m = SourceMetadata.of(r);
            rows.setObject(7, m.partitionKey());
            rows.setLong(8, m.sequenceNumber());
            rows.setObject(9, m.deviceId());
            rows.setInt(10, (int) Math.floorDiv(r.timestampMillis(), 86_400_000L));
            rows.endRow();
        }
    }

    static RowBatch rejected(List<DecodedBatch> decoded, Map<String, Long> committed, long nowMillis) {
        RowBatch rows = new RowBatch(ZoneSchemas.REJECTED, Math.max(1, decoded.stream().mapToInt(d -> d.rejected).sum()));
        for (DecodedBatch d : decoded) {
            appendRejected(rows, d, committed.get(d.batch.appId()), nowMillis);
        }
        return rows;
    }

    private static void appendRejected(RowBatch rows, DecodedBatch d, long after, long nowMillis) {
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
    }

    static RowBatch refined(List<DecodedBatch> decoded, CompiledPipeline p, Map<String, Long> committed,
            long nowMillis) {
        RowBatch rows = new RowBatch(p.refinedSchema, Math.max(1, decoded.stream().mapToInt(d -> d.refined).sum()));
        for (DecodedBatch d : decoded) {
            appendRefined(rows, d, d.rows, p.refinedSchema, committed.get(d.batch.appId()), nowMillis, false);
        }
        return rows;
    }

    static RowBatch late(List<DecodedBatch> decoded, CompiledPipeline p, Map<String, Long> committed,
            long nowMillis) {
        RowBatch rows = new RowBatch(p.lateSchema, Math.max(1, decoded.stream().mapToInt(d -> d.late).sum()));
        for (DecodedBatch d : decoded) {
            appendRefined(rows, d, d.lateRows, p.refinedSchema, committed.get(d.batch.appId()), nowMillis, true);
        }
        return rows;
    }

    /** Rows of {@code source} after offset {@code after} with lineage; late rows also get watermark and lateness. */
    private static void appendRefined(RowBatch rows, DecodedBatch d, Object[][] source, TableSchema refined, long after,
            long nowMillis, boolean late) {
        List<SourceRecord> records = d.batch.records();
        int lineage = refined.size() - ZoneSchemas.REFINED_LINEAGE.size();
        for (int i = 0; i < records.size(); i++) {
            Object[] row = source[i];
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
            if (late) {
                rows.setLong(lineage + 4, d.lateWatermark[i]);
                rows.setLong(lineage + 5, d.lateBy[i] / 1000);
            }
            rows.endRow();
        }
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
