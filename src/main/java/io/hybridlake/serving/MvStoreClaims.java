package io.hybridlake.serving;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * De-duplication claims of the embedded cache, built like a log-structured store: each call appends
 * its new claims as one record to a durable log (MVStore, key = table, newest event time of the
 * record, first token), and lookups go to an in-memory index of the claims within the horizon, loaded
 * from the log on first use ({@link ClaimIndex}). Why: claims keyed by id (or event time and id) in the
 * B-tree itself made every commit rewrite most of its leaves (over half of the CPU at 30k events/s,
 * measured); one appended record per poll rewrites a page or two. Memory: about 60 bytes plus the id's
 * and token's length per claim within the horizon, per table.
 */
final class MvStoreClaims {
    private static final char SEP = WindowId.SEP;

    private final MVStore store;
    private final MVMap<String, byte[]> log;
    /** Per table: (id, event time) → token. */
    private final Map<String, ClaimIndex> index = new HashMap<>();

    MvStoreClaims(MVStore store) {
        this.store = store;
        this.log = store.openMap("claims_log", new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    }

    synchronized List<String> claim(String table, List<SpeedCache.Claim> wanted) {
        ClaimIndex claims = index(table);
        List<String> winners = new ArrayList<>(wanted.size());
        List<SpeedCache.Claim> fresh = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        for (SpeedCache.Claim c : wanted) {
            String stored = claims.putIfAbsent(c.id(), c.eventTimeMicros(), c.token());
            winners.add(stored == null ? c.token() : stored);
            if (stored == null) {
                fresh.add(c);
                newest = Math.max(newest, c.eventTimeMicros());
            }
        }
        if (!fresh.isEmpty()) {
            log.put(table + SEP + WindowId.sortableHex(newest) + SEP + fresh.get(0).token(), encode(fresh));
            MvStoreSpeedCache.commitOrClose(store);
        }
        return winners;
    }

    /** Drops log records whose newest claim is older than {@code eventTimeMicros}, and their index entries. */
    synchronized int expire(String table, long eventTimeMicros) {
        String prefix = table + SEP;
        String end = prefix + WindowId.sortableHex(eventTimeMicros);
        ClaimIndex claims = index(table);
        List<String> expired = new ArrayList<>();
        int count = 0;
        Iterator<String> keys = log.keyIterator(prefix);
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.startsWith(prefix) || key.compareTo(end) >= 0) {
                break;
            }
            for (SpeedCache.Claim c : decode(log.get(key))) {
                claims.remove(c.id(), c.eventTimeMicros(), c.token());
                count++;
            }
            expired.add(key);
        }
        expired.forEach(log::remove);
        if (!expired.isEmpty()) {
            MvStoreSpeedCache.commitOrClose(store);
        }
        return count;
    }

    private ClaimIndex index(String table) {
        return index.computeIfAbsent(table, t -> {
            ClaimIndex claims = new ClaimIndex();
            String prefix = t + SEP;
            Iterator<String> keys = log.keyIterator(prefix);
            while (keys.hasNext()) {
                String key = keys.next();
                if (!key.startsWith(prefix)) {
                    break;
                }
                for (SpeedCache.Claim c : decode(log.get(key))) {
                    claims.putIfAbsent(c.id(), c.eventTimeMicros(), c.token());
                }
            }
            return claims;
        });
    }

    private static byte[] encode(List<SpeedCache.Claim> claims) {
        List<byte[]> ids = new ArrayList<>(claims.size());
        List<byte[]> tokens = new ArrayList<>(claims.size());
        int size = Integer.BYTES;
        for (SpeedCache.Claim c : claims) {
            byte[] id = c.id().getBytes(StandardCharsets.UTF_8);
            byte[] token = c.token().getBytes(StandardCharsets.UTF_8);
            ids.add(id);
            tokens.add(token);
            size += 2 * Integer.BYTES + id.length + token.length + Long.BYTES;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(claims.size());
        for (int i = 0; i < claims.size(); i++) {
            out.putInt(ids.get(i).length).put(ids.get(i)).putLong(claims.get(i).eventTimeMicros())
                    .putInt(tokens.get(i).length).put(tokens.get(i));
        }
        return out.array();
    }

    private static List<SpeedCache.Claim> decode(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        int n = in.getInt();
        List<SpeedCache.Claim> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = string(in);
            long time = in.getLong();
            out.add(new SpeedCache.Claim(id, time, string(in)));
        }
        return out;
    }

    private static String string(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
