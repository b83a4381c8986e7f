package io.hybridlake.serving;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * One fold of the window log ({@link MvStoreWindows}): the detached windows' states put into the sorted
 * map, then the log records they cover removed, then a commit; only then are the windows read from the
 * map instead of memory. A failure closes the store (the next call opens it again at its last commit,
 * whose log still holds the windows) and leaves them readable in memory meanwhile.
 */
final class WindowFold implements Runnable {
    private final MVStore store;
    private final MVMap<String, byte[]> folded;
    private final MVMap<String, byte[]> log;
    private final List<Map.Entry<WindowGroup, GroupWindows>> detached;
    /** Log records with keys below this hold no state newer than the detached ones. */
    private final String covered;

    WindowFold(MVStore store, MVMap<String, byte[]> folded, MVMap<String, byte[]> log,
            List<Map.Entry<WindowGroup, GroupWindows>> detached, String covered) {
        this.store = store;
        this.folded = folded;
        this.log = log;
        this.detached = detached;
        this.covered = covered;
    }

    /** Runs this fold on a thread of its own. */
    Thread start() {
        Thread thread = new Thread(this, "hybridlake-cache-fold");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits until a fold's thread (or null) has ended, even when interrupted: nothing may touch the store before. */
    static void awaitEnd(Thread fold) {
        boolean interrupted = false;
        while (fold != null && fold.isAlive()) {
            try {
                fold.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            for (Map.Entry<WindowGroup, GroupWindows> e : detached) {
                WindowGroup group = e.getKey();
                e.getValue().forEachDetached((start, state) -> folded.put(group.at(start).asString(), state));
            }
            List<String> records = new ArrayList<>();
            for (Iterator<String> keys = log.keyIterator(null); keys.hasNext(); ) {
                String key = keys.next();
                if (key.compareTo(covered) >= 0) {
                    break;
                }
                records.add(key);
            }
            records.forEach(log::remove);
            MvStoreSpeedCache.commitOrClose(store);
        } catch (RuntimeException e) {
            if (!store.isClosed()) {
                store.closeImmediately();
            }
            throw e;
        }
        detached.forEach(e -> e.getValue().foldDone());
    }
}
