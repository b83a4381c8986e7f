package io.hybridlake.serving;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The windows of one group key in the embedded cache's memory: those written since the last fold of
 * the window log (their starts, ascending, and each one's newest stored form), and the start of the
 * newest window folded into the sorted map (a later window is not there, so the B-tree is not searched
 * for the new windows most of a poll's are). A key holds a few to a few hundred windows between folds,
 * so a sorted array searched by start costs less than any map of per-window nodes, in time and in
 * garbage-collected objects. Writers hold the cache's write lock; readers synchronise on the instance.
 */
final class GroupWindows {
    private static final long[] NO_STARTS = new long[0];
    private static final byte[][] NO_STATES = new byte[0][];

    private long[] starts = NO_STARTS;
    private byte[][] states = NO_STATES;
    private int size;
    private long newestFolded = Long.MIN_VALUE;

    /** The window's state written since the last fold, or null. */
    synchronized byte[] recent(long start) {
        int i = Arrays.binarySearch(starts, 0, size, start);
        return i >= 0 ? states[i] : null;
    }

    /** Whether the folded map may hold the window (it holds none newer than the newest folded start). */
    synchronized boolean mayBeFolded(long start) {
        return start <= newestFolded;
    }

    /** Stores the state; returns the state it replaced since the last fold, or null if the window is new. */
    synchronized byte[] put(long start, byte[] state) {
        int i = Arrays.binarySearch(starts, 0, size, start);
        if (i >= 0) {
            byte[] replaced = states[i];
            states[i] = state;
            return replaced;
        }
        int at = -i - 1;
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, Math.max(4, size * 2));
            states = Arrays.copyOf(states, Math.max(4, size * 2));
        }
        System.arraycopy(starts, at, starts, at + 1, size - at);
        System.arraycopy(states, at, states, at + 1, size - at);
        starts[at] = start;
        states[at] = state;
        size++;
        return null;
    }

    /** Windows written since the last fold with starts in [from, to), ascending, at most {@code limit}. */
    synchronized void forEachIn(long from, long to, int limit, BiConsumer<Long, byte[]> action) {
        int i = Arrays.binarySearch(starts, 0, size, from);
        for (int k = i >= 0 ? i : -i - 1, n = 0; k < size && starts[k] < to && n < limit; k++, n++) {
            action.accept(starts[k], states[k]);
        }
    }

    /**
     * Hands every window written since the last fold to {@code fold} and forgets them (they are in
     * the folded map now); holding the lock meanwhile, so a reader finds each in one place or the other.
     */
    synchronized void foldInto(BiConsumer<Long, byte[]> fold) {
        for (int k = 0; k < size; k++) {
            fold.accept(starts[k], states[k]);
        }
        if (size > 0) {
            newestFolded = Math.max(newestFolded, starts[size - 1]);
        }
        starts = NO_STARTS;
        states = NO_STATES;
        size = 0;
    }

    /** A window of this key was found in the folded map (when the store opens). */
    synchronized void folded(long start) {
        newestFolded = Math.max(newestFolded, start);
    }
}
