package io.hybridlake.stream;

import io.hybridlake.pipeline.Violation;
import io.hybridlake.serving.SpeedCache;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Marks repeated event ids of a poll as duplicates through durable first-occurrence claims in the
 * speed cache. An event is accepted iff its own token ({@code topic:partition:offset}) holds the claim,
 * so a re-delivered batch, finding its own claims, decides exactly as the first delivery did.
 */
final class Deduplicator {
    private static final long EXPIRY_INTERVAL_MILLIS = 60_000;

    private final SpeedCache cache;
    private final Map<String, Long> lastExpiry = new java.util.concurrent.ConcurrentHashMap<>();

    Deduplicator(SpeedCache cache) {
        this.cache = cache;
    }

    void apply(CompiledPipeline p, List<DecodedBatch> decoded) {
        Map<String, SpeedCache.Claim> claims = new LinkedHashMap<>();
        for (DecodedBatch d : decoded) {
            for (int i = 0; i < d.rows.length; i++) {
                Object id = d.rows[i] == null ? null : d.rows[i][p.dedupColumn];
                if (id != null) {
                    claims.putIfAbsent(id.toString(), new SpeedCache.Claim(token(d, i), d.eventTimes[i]));
                }
            }
        }
        if (claims.isEmpty()) {
            return;
        }
        Map<String, String> winners = cache.claim(p.spec.table(), claims);
        String column = p.spec.dedup().column();
        for (DecodedBatch d : decoded) {
            for (int i = 0; i < d.rows.length; i++) {
                Object id = d.rows[i] == null ? null : d.rows[i][p.dedupColumn];
                if (id == null) {
                    continue;
                }
                String winner = winners.get(id.toString());
                if (!token(d, i).equals(winner)) {
                    d.rejectDuplicate(i, new Violation(column, "duplicate: event id '" + id + "' (" + column
                            + ") was already accepted from " + winner));
                }
            }
        }
    }

    /** Forgets claims older than the horizon behind {@code watermark}, at most once a minute per table. */
    void expire(CompiledPipeline p, long watermark, long nowMillis) {
        String table = p.spec.table();
        Long last = lastExpiry.get(table);
        if (watermark == DecodedBatch.NO_TIME || (last != null && nowMillis - last < EXPIRY_INTERVAL_MILLIS)) {
            return;
        }
        lastExpiry.put(table, nowMillis);
        cache.expireClaims(table, watermark - p.spec.dedup().horizonMicros());
    }

    private static String token(DecodedBatch d, int i) {
        return d.batch.source() + ":" + d.batch.records().get(i).offset();
    }
}
