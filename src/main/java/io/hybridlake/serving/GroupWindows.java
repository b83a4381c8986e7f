package io.hybridlake.serving;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The windows of one group key written since the last fold of the window log: their starts, ascending,
 * and each one's newest stored form. A key holds a few to a few hundred windows, so a sorted array
 * searched by start costs less than any map of per-window nodes, in time and in garbage-collected
 * objects. Writers hold the cache's write lock; readers synchronise on the instance.
 */
final class GroupWindows {
    private long[] starts = new long[4];
    private byte[][] states = new byte[4][];
    private int size;

    synchronized byte[] get(long start) {
        int i = Arrays.binarySearch(starts, 0, size, start);
        return i >= 0 ? states[i] : null;
    }

    /** Stores the state; returns whether the window was new. */
    synchronized boolean put(long start, byte[] state) {
        int i = Arrays.binarySearch(starts, 0, size, start);
        if (i >= 0) {
            states[i] = state;
            return false;
        }
        int at = -i - 1;
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            states = Arrays.copyOf(states, size * 2);
        }
        System.arraycopy(starts, at, starts, at + 1, size - at);
        System.arraycopy(states, at, states, at + 1, size - at);
        starts[at] = start;
        states[at] = state;
        size++;
        return true;
    }

    /** Windows with starts in [from, to), ascending, at most {@code limit}. */
    synchronized void forEachIn(long from, long to, int limit, BiConsumer<Long, byte[]> action) {
        int i = Arrays.binarySearch(starts, 0, size, from);
        for (int k = i >= 0 ? i : -i - 1, n = 0; k < size && starts[k] < to && n < limit; k++, n++) {
            action.accept(starts[k], states[k]);
        }
    }

    synchronized long newest() {
        return starts[size - 1];
    }

    synchronized void forEach(BiConsumer<Long, byte[]> action) {
        for (int k = 0; k < size; k++) {
            action.accept(starts[k], states[k]);
        }
    }
}
