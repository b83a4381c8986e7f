package io.hybridlake.serving;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The embedded cache's in-memory index of de-duplication claims: (event id, event time) → the token of
 * the event holding the claim. Why not a map of strings: a replay holds a claim per event within the
 * horizon (a million and more), and as a map node and two strings each (about 200 bytes in four
 * objects) they were most of what every young collection copied, and the map's table, written at
 * random, most of the old generation it scanned: pauses of 300–400 ms every few seconds at 20k events/s
 * (measured with -Xlog:gc). Here a claim is a few primitive array slots and its UTF-8 bytes in an arena
 * of large chunks: nothing with references, so a collector copies it at most once and never scans it.
 *
 * <p>Open addressing with linear probing over entry numbers; the entries' hash, event time and arena
 * position in parallel arrays; removal shifts the probe chain back (no tombstones), and the arena is
 * rewritten when over half of it belongs to removed claims. Not thread-safe: the owner synchronises.
 */
final class ClaimIndex {
    /** Arena chunk size; a claim longer than this gets a chunk of its own. */
    static final int CHUNK = 1 << 22;
    private static final double MAX_LOAD = 0.6;

    /** Per slot: entry number + 1, or 0 when empty. */
    private int[] slots = new int[64];
    /** 32 - log2(slots.length): a hash's home slot is the top bits of its Fibonacci product. */
    private int shift = 26;
    private int[] hashes = new int[32];
    private long[] times = new long[32];
    /** Per entry: chunk number << 32 | position of [id length][id][token length][token]. */
    private long[] refs = new long[32];
    private int usedEntries;
    private int[] freeEntries = new int[16];
    private int freeCount;
    private int size;

    private byte[][] chunks = new byte[1][];
    private int chunkCount;
    private int position;
    private long arenaBytes;
    private long liveBytes;
    private int arenaRewrites;

    ClaimIndex() {
        chunks[0] = new byte[CHUNK];
        chunkCount = 1;
    }

    int size() {
        return size;
    }

    /** How often removed claims' bytes were dropped from the arena (for tests that must reach it). */
    int arenaRewrites() {
        return arenaRewrites;
    }

    /** Claims (id, time) for {@code token} unless already claimed; returns the holder's token, or null if claimed now. */
    String putIfAbsent(String id, long eventTimeMicros, String token) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        int hash = hash(id, eventTimeMicros);
        int slot = find(hash, eventTimeMicros, idBytes);
        if (slot >= 0) {
            return token(slots[slot] - 1);
        }
        if (size + 1 > slots.length * MAX_LOAD) {
            resize(slots.length * 2);
            slot = find(hash, eventTimeMicros, idBytes);
        }
        int entry = newEntry();
        hashes[entry] = hash;
        times[entry] = eventTimeMicros;
        refs[entry] = append(idBytes, token.getBytes(StandardCharsets.UTF_8));
        slots[-slot - 1] = entry + 1;
        size++;
        return null;
    }

    /** The token holding (id, time), or null. */
    String get(String id, long eventTimeMicros) {
        int slot = find(hash(id, eventTimeMicros), eventTimeMicros, id.getBytes(StandardCharsets.UTF_8));
        return slot >= 0 ? token(slots[slot] - 1) : null;
    }

    /** Removes the claim of (id, time) if {@code token} holds it; returns whether it did. */
    boolean remove(String id, long eventTimeMicros, String token) {
        int slot = find(hash(id, eventTimeMicros), eventTimeMicros, id.getBytes(StandardCharsets.UTF_8));
        if (slot < 0) {
            return false;
        }
        int entry = slots[slot] - 1;
        if (!tokenEquals(entry, token.getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        liveBytes -= recordLength(entry);
        deleteSlot(slot);
        if (freeCount == freeEntries.length) {
            freeEntries = Arrays.copyOf(freeEntries, freeCount * 2);
        }
        freeEntries[freeCount++] = entry;
        size--;
        if (arenaBytes - liveBytes > Math.max(4L * CHUNK, liveBytes)) {
            compactArena();
        }
        return true;
    }

    private static int hash(String id, long eventTimeMicros) {
        int h = id.hashCode() * 31 + Long.hashCode(eventTimeMicros);
        return h ^ (h >>> 16);
    }

    private int home(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }

    /** The slot holding (id, time), or -(slot + 1) for the empty slot where it would go. */
    private int find(int hash, long time, byte[] id) {
        int mask = slots.length - 1;
        for (int s = home(hash); ; s = (s + 1) & mask) {
            int entry = slots[s] - 1;
            if (entry < 0) {
                return -s - 1;
            }
            if (hashes[entry] == hash && times[entry] == time && idEquals(entry, id)) {
                return s;
            }
        }
    }

    /** Empties a slot and moves later members of its probe chain back, so every lookup still reaches them. */
    private void deleteSlot(int slot) {
        int mask = slots.length - 1;
        int hole = slot;
        for (int j = (slot + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
            int home = home(hashes[slots[j] - 1]);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = 0;
    }

    private void resize(int capacity) {
        int[] old = slots;
        slots = new int[capacity];
        shift = Integer.numberOfLeadingZeros(capacity) + 1;
        int mask = capacity - 1;
        for (int e : old) {
            if (e != 0) {
                int s = home(hashes[e - 1]);
                while (slots[s] != 0) {
                    s = (s + 1) & mask;
                }
                slots[s] = e;
            }
        }
    }

    private int newEntry() {
        if (freeCount > 0) {
            return freeEntries[--freeCount];
        }
        if (usedEntries == hashes.length) {
            int capacity = hashes.length * 2;
            hashes = Arrays.copyOf(hashes, capacity);
            times = Arrays.copyOf(times, capacity);
            refs = Arrays.copyOf(refs, capacity);
        }
        return usedEntries++;
    }

    private long append(byte[] id, byte[] token) {
        int length = 2 * Integer.BYTES + id.length + token.length;
        long ref = reserve(length);
        byte[] chunk = chunks[(int) (ref >>> 32)];
        int at = (int) ref;
        putInt(chunk, at, id.length);
        System.arraycopy(id, 0, chunk, at + Integer.BYTES, id.length);
        putInt(chunk, at + Integer.BYTES + id.length, token.length);
        System.arraycopy(token, 0, chunk, at + 2 * Integer.BYTES + id.length, token.length);
        return ref;
    }

    /** Room for a record of {@code length} bytes at the arena's end; its reference. */
    private long reserve(int length) {
        if (position + length > chunks[chunkCount - 1].length) {
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunkCount * 2);
            }
            chunks[chunkCount++] = new byte[Math.max(CHUNK, length)];
            position = 0;
        }
        int at = position;
        position += length;
        arenaBytes += length;
        liveBytes += length;
        return (long) (chunkCount - 1) << 32 | at;
    }

    /** Copies the live claims' records into fresh chunks, dropping the bytes of removed ones. */
    private void compactArena() {
        arenaRewrites++;
        byte[][] old = chunks;
        long[] oldRefs = refs.clone();
        int[] lengths = new int[usedEntries];
        for (int e : slots) {
            if (e != 0) {
                lengths[e - 1] = recordLength(e - 1);
            }
        }
        chunks = new byte[Math.max(1, (int) (liveBytes / CHUNK) + 1)][];
        chunks[0] = new byte[CHUNK];
        chunkCount = 1;
        position = 0;
        arenaBytes = 0;
        liveBytes = 0;
        for (int e : slots) {
            if (e != 0) {
                long from = oldRefs[e - 1];
                long to = reserve(lengths[e - 1]);
                System.arraycopy(old[(int) (from >>> 32)], (int) from, chunks[(int) (to >>> 32)], (int) to, lengths[e - 1]);
                refs[e - 1] = to;
            }
        }
    }

    private boolean idEquals(int entry, byte[] id) {
        byte[] chunk = chunk(entry);
        int at = (int) refs[entry];
        int length = getInt(chunk, at);
        return length == id.length && Arrays.equals(chunk, at + Integer.BYTES, at + Integer.BYTES + length, id, 0, id.length);
    }

    private boolean tokenEquals(int entry, byte[] token) {
        byte[] chunk = chunk(entry);
        int tokenAt = tokenAt(chunk, (int) refs[entry]);
        int length = getInt(chunk, tokenAt);
        return length == token.length
                && Arrays.equals(chunk, tokenAt + Integer.BYTES, tokenAt + Integer.BYTES + length, token, 0, token.length);
    }

    private String token(int entry) {
        byte[] chunk = chunk(entry);
        int tokenAt = tokenAt(chunk, (int) refs[entry]);
        return new String(chunk, tokenAt + Integer.BYTES, getInt(chunk, tokenAt), StandardCharsets.UTF_8);
    }

    private int recordLength(int entry) {
        byte[] chunk = chunk(entry);
        int at = (int) refs[entry];
        int tokenAt = tokenAt(chunk, at);
        return tokenAt + Integer.BYTES + getInt(chunk, tokenAt) - at;
    }

    private byte[] chunk(int entry) {
        return chunks[(int) (refs[entry] >>> 32)];
    }

    /** Where the token's length sits in a record starting at {@code at}: after the id's length and bytes. */
    private static int tokenAt(byte[] chunk, int at) {
        return at + Integer.BYTES + getInt(chunk, at);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
