package io.hybridlake.stream;

import io.hybridlake.pipeline.Violation;
import io.hybridlake.serving.SpeedCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Marks re-sent events of a poll as duplicates through durable first-occurrence claims in the speed
 * cache. A duplicate is the same event again: same id, same event time (an id with a new event time
 * is a new version of that entity, which MERGE resolves by latest event time). An event is accepted
 * iff its own token ({@code topic:partition:offset}) holds the claim, so a re-delivered batch, finding
 * its own claims, decides exactly as the first delivery did. Late events claim like on-time ones (a
 * copy of a late event within the horizon is a duplicate, not a second row in {@code _late}).
 */
final class Deduplicator {
    private static final long EXPIRY_INTERVAL_MILLIS = 60_000;

    private final SpeedCache cache;
    private final Map<String, Long> lastExpiry = new ConcurrentHashMap<>();

    Deduplicator(SpeedCache cache) {
        this.cache = cache;
    }

    void apply(CompiledPipeline p, List<DecodedBatch> decoded) {
        List<SpeedCache.Claim> claims = new ArrayList<>();
        List<int[]> claimants = new ArrayList<>(); // (batch, row) of each claim
        for (int b = 0; b < decoded.size(); b++) {
            DecodedBatch d = decoded.get(b);
            String source = d.batch.source() + ":";
            for (int i = 0; i < d.rows.length; i++) {
                // late rows claim too: a re-sent copy of a late event is a duplicate, not a second late row
                Object[] row = d.rows[i] != null ? d.rows[i] : d.lateRows[i];
                Object id = row == null ? null : row[p.dedupColumn];
                if (id != null) {
                    String token = source + d.batch.records().get(i).offset();
                    claims.add(new SpeedCache.Claim(id.toString(), d.eventTimes[i], token));
                    claimants.add(new int[] {b, i});
                }
            }
        }
        if (claims.isEmpty()) {
            return;
        }
        List<String> winners = cache.claim(p.spec.table(), claims);
        String column = p.spec.dedup().column();
        for (int k = 0; k < claims.size(); k++) {
            SpeedCache.Claim c = claims.get(k);
            if (!c.token().equals(winners.get(k))) {
                DecodedBatch d = decoded.get(claimants.get(k)[0]);
                d.rejectDuplicate(claimants.get(k)[1], new Violation(column, "duplicate: event id '" + c.id() + "' ("
                        + column + ") with the same event time was already accepted from " + winners.get(k)));
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
}
