package io.hybridlake.serving;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The windows of one group key in the embedded cache's memory: those written since the last fold of
 * the window log (their starts, ascending, and each one's newest stored form), those being folded now
 * (detached from the first, unchanged until the fold is done), and the start of the newest window
 * folded into the sorted map (a later window is not there, so the B-tree is not searched for the new
 * windows most of a poll's are). A key holds a few to a few hundred windows between folds, so a sorted
 * array searched by start costs less than any map of per-window nodes, in time and in garbage-collected
 * objects. Writers hold the cache's write lock; readers synchronise on the instance.
 */
final class GroupWindows {
    private static final long[] NO_STARTS = new long[0];
    private static final byte[][] NO_STATES = new byte[0][];

    private long[] starts = NO_STARTS;
    private byte[][] states = NO_STATES;
    private int size;
    /** The windows being folded: read, never changed, until {@link #foldDone}. */
    private long[] foldingStarts = NO_STARTS;
    private byte[][] foldingStates = NO_STATES;
    private long newestFolded = Long.MIN_VALUE;

    /** The window's state written since the last completed fold, or null. */
    synchronized byte[] recent(long start) {
        int i = Arrays.binarySearch(starts, 0, size, start);
        if (i >= 0) {
            return states[i];
        }
        int f = Arrays.binarySearch(foldingStarts, start);
        return f >= 0 ? foldingStates[f] : null;
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

    /**
     * Windows written since the last completed fold with starts in [from, to), ascending within each of
     * the two sets, at most {@code limit} of each: those being folded first, so a newer state comes after.
     */
    synchronized void forEachIn(long from, long to, int limit, BiConsumer<Long, byte[]> action) {
        forEachIn(foldingStarts, foldingStates, foldingStarts.length, from, to, limit, action);
        forEachIn(starts, states, size, from, to, limit, action);
    }

    private static void forEachIn(long[] starts, byte[][] states, int size, long from, long to, int limit,
            BiConsumer<Long, byte[]> action) {
        int i = Arrays.binarySearch(starts, 0, size, from);
        for (int k = i >= 0 ? i : -i - 1, n = 0; k < size && starts[k] < to && n < limit; k++, n++) {
            action.accept(starts[k], states[k]);
        }
    }

    /**
     * Starts a fold: the windows written since the last one become the ones being folded (still read
     * here until {@link #foldDone}), and later writes start a new set. Returns whether there were any.
     */
    synchronized boolean detach() {
        if (foldingStarts.length > 0) {
            throw new IllegalStateException("a fold of these windows is still running");
        }
        if (size == 0) {
            return false;
        }
        foldingStarts = Arrays.copyOf(starts, size);
        foldingStates = Arrays.copyOf(states, size);
        newestFolded = Math.max(newestFolded, starts[size - 1]);
        starts = NO_STARTS;
        states = NO_STATES;
        size = 0;
        return true;
    }

    /** Hands each window being folded to {@code fold}; they stay readable here meanwhile. */
    void forEachDetached(BiConsumer<Long, byte[]> fold) {
        long[] foldStarts;
        byte[][] foldStates;
        synchronized (this) {
            foldStarts = foldingStarts;
            foldStates = foldingStates;
        }
        for (int k = 0; k < foldStarts.length; k++) {
            fold.accept(foldStarts[k], foldStates[k]);
        }
    }

    /** The fold is done: the windows it folded are read from the folded map from now on. */
    synchronized void foldDone() {
        foldingStarts = NO_STARTS;
        foldingStates = NO_STATES;
    }

    /** A window of this key was found in the folded map (when the store opens). */
    synchronized void folded(long start) {
        newestFolded = Math.max(newestFolded, start);
    }
}
