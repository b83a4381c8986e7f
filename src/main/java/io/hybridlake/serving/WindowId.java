package io.hybridlake.serving;

/**
 * Identifies one window of one group key. Its string form sorts by table, window, key, start, so all
 * windows of a key are one contiguous range in an ordered store.
 */
public record WindowId(String table, String window, String groupKey, long windowStart) {
    static final char SEP = '\u0000';

    /**
     * Mixed, unlike the record's default: sequential customer ids and window starts a fixed step apart
     * made the default's sums collide, and hash maps of a poll's windows degraded into trees.
     */
    @Override
    public int hashCode() {
        long h = ((long) table.hashCode() * 31 + window.hashCode()) * 0x9E3779B97F4A7C15L + groupKey.hashCode();
        h = (h ^ windowStart) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }

    /** Written out for the same reason as {@link #hashCode}: a poll's windows are looked up several times each. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WindowId w && windowStart == w.windowStart && groupKey.equals(w.groupKey)
                && window.equals(w.window) && table.equals(w.table);
    }

    public String asString() {
        return prefix(table, window, groupKey) + sortableHex(windowStart);
    }

    /** Offset binary, fixed-width hex: string order = numeric order, negatives included. */
    static String sortableHex(long v) {
        String hex = Long.toHexString(v ^ Long.MIN_VALUE);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** The number {@link #sortableHex} wrote. */
    static long fromSortableHex(String hex) {
        return Long.parseUnsignedLong(hex, 16) ^ Long.MIN_VALUE;
    }

    /** The common prefix of every window id of one group key. */
    public static String prefix(String table, String window, String groupKey) {
        return table + SEP + window + SEP + groupKey + SEP;
    }

    public static WindowId parse(String s) {
        String[] parts = s.split(String.valueOf(SEP), -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a window id: " + s.replace(SEP, '/'));
        }
        return new WindowId(parts[0], parts[1], parts[2], fromSortableHex(parts[3]));
    }
}
