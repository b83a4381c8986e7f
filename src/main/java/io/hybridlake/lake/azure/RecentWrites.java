package io.hybridlake.lake.azure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this process just wrote to storage: each blob's size, last-modified time and last bytes. Right
 * after writing, Kernel asks for the status of every data file and commit, reads each data file's
 * Parquet footer for its statistics, and reads the newest commit back to check a transaction id —
 * three to four round trips per table per micro-batch on ADLS, all for bytes this process has just
 * sent. Answered from here instead. Safe because lake files are written once under new names (data
 * files, commits: If-None-Match), and the few that are overwritten (_last_checkpoint) or deleted go
 * through this adapter, which updates the entry. Bounded: the newest {@link #ENTRIES} blobs, each
 * with at most {@link #TAIL} bytes.
 */
final class RecentWrites {
    /** Parquet footers of micro-batch files, and whole commit files, fit. */
    static final int TAIL = 64 << 10;
    static final int ENTRIES = 64;

    /** A blob as written: {@code tail} holds its last {@code tail.length} bytes. */
    record Written(long size, long lastModifiedMillis, byte[] tail) {
        /** Whether the bytes from {@code pos} to the end are in {@link #tail}. */
        boolean holdsFrom(long pos) {
            return pos >= size - tail.length && pos < size;
        }

        byte[] from(long pos) {
            return Arrays.copyOfRange(tail, (int) (pos - (size - tail.length)), tail.length);
        }
    }

    private final Map<String, Written> entries = new LinkedHashMap<>(ENTRIES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
            return size() > ENTRIES;
        }
    };

    /** Records a blob just written whole: {@code content} is all of it. */
    synchronized void put(String name, byte[] content, int length, long lastModifiedMillis) {
        int keep = Math.min(length, TAIL);
        entries.put(name, new Written(length, lastModifiedMillis, Arrays.copyOfRange(content, length - keep, length)));
    }

    synchronized Written get(String name) {
        return entries.get(name);
    }

    synchronized void forget(String name) {
        entries.remove(name);
    }
}
