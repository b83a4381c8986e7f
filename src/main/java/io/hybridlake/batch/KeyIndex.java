package io.hybridlake.batch;

import io.hybridlake.lake.FileReads;
import io.hybridlake.lake.LakeTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each key of the merged table lives at one version: file, row position in it, and the row's
 * event time — what lets a merge find the rows it replaces without reading whole files (merge-on-read
 * marks the position deleted; copy-on-write rewrites the file) and decide most "latest event wins"
 * comparisons without reading the row at all. Built from the key and event-time columns only, then
 * advanced from the rows each of our commits wrote; never trusted at another version (a foreign or
 * concurrent commit makes the merge rebuild it). Open addressing over parallel arrays: about 40 bytes
 * per key plus the key string.
 */
final class KeyIndex {
    /** The event time of a row that has none (a CDC delete without one): before every real time. */
    static final long NO_TIME = Long.MIN_VALUE;

    /** A key's row: its file, position in that file, and event time. */
    record Location(String file, int position, long eventTime) {
    }

    /** A row our commit wrote, to advance the index with. */
    record Placed(String key, String file, int position, long eventTime) {
    }

    private final List<String> files = new ArrayList<>();
    private final Map<String, Integer> fileIds = new HashMap<>();
    private String[] keys = new String[1024];
    private int[] fileOf = new int[1024];
    private int[] positionOf = new int[1024];
    private long[] timeOf = new long[1024];
    private int size;
    private long version;

    private KeyIndex(long version) {
        this.version = version;
    }

    /** Reads the key and event-time columns of every file at {@code version}. */
    static KeyIndex build(LakeTable table, long version, String keyColumn, String eventTimeColumn) {
        KeyIndex index = new KeyIndex(version);
        new FileReads(table).forEachPositioned(version, null, List.of(keyColumn, eventTimeColumn), file -> {
            int id = index.fileId(file.path());
            for (int i = 0; i < file.rows().size(); i++) {
                Object[] row = file.rows().get(i);
                index.put(String.valueOf(row[0]), id, file.positions()[i], time(row[1]));
            }
        });
        return index;
    }

    static long time(Object eventTime) {
        return eventTime == null ? NO_TIME : (Long) eventTime;
    }

    long version() {
        return version;
    }

    int size() {
        return size;
    }

    /** Where {@code key}'s row is, or null if the table has no row for it. */
    Location find(String key) {
        int slot = slotOf(key);
        return keys[slot] == null ? null : new Location(files.get(fileOf[slot]), positionOf[slot], timeOf[slot]);
    }

    /** After our commit {@code to}: where each row it wrote is; every moved key is among them. */
    void advance(long to, List<Placed> placed) {
        for (Placed p : placed) {
            put(p.key(), fileId(p.file()), p.position(), p.eventTime());
        }
        version = to;
    }

    private int fileId(String file) {
        return fileIds.computeIfAbsent(file, f -> {
            files.add(f);
            return files.size() - 1;
        });
    }

    private void put(String key, int file, int position, long time) {
        if ((size + 1) * 4L > keys.length * 3L) {
            grow();
        }
        int slot = slotOf(key);
        if (keys[slot] == null) {
            keys[slot] = key;
            size++;
        }
        fileOf[slot] = file;
        positionOf[slot] = position;
        timeOf[slot] = time;
    }

    private int slotOf(String key) {
        int mask = keys.length - 1;
        int slot = mix(key.hashCode()) & mask;
        while (keys[slot] != null && !keys[slot].equals(key)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldFiles = fileOf;
        int[] oldPositions = positionOf;
        long[] oldTimes = timeOf;
        int capacity = oldKeys.length * 2;
        keys = new String[capacity];
        fileOf = new int[capacity];
        positionOf = new int[capacity];
        timeOf = new long[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = slotOf(oldKeys[i]);
                keys[slot] = oldKeys[i];
                fileOf[slot] = oldFiles[i];
                positionOf[slot] = oldPositions[i];
                timeOf[slot] = oldTimes[i];
            }
        }
    }
}
