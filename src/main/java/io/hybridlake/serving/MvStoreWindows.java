package io.hybridlake.serving;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * Window states of the embedded cache, as a small log-structured merge tree. A write appends the
 * changed states as one record to a durable log and commits; the newest state per window is kept in an
 * in-memory table in front of the sorted {@code windows} map; when that table passes
 * {@link FoldPolicy#maxWindows} entries, or the log has grown mostly into states written over since
 * ({@link FoldPolicy#minLogBytes}), it is folded into the map and the log records it covers dropped.
 *
 * <p>Why: window ids sort by key, and a poll of a replay (a day of history, 10,000 keys) touches tens of
 * thousands of windows spread over the whole map; written in place, every commit rewrote most of the
 * B-tree's leaves (64 of 87 s of a 1M-event replay, measured). Appended, a commit writes what changed;
 * a fold rewrites each touched leaf once for many polls. After a crash the store reopens at its last
 * commit and the log records since the last fold are loaded again. Memory: the in-memory table, about
 * 300 bytes per window changed since the last fold, and each group key's newest folded window id (read
 * from the map when the store opens).
 *
 * <p>Live traffic rewrites the same few windows poll after poll: a window count alone never folded, and
 * the log grew by every state written — 2.2 GB after 2,000 polls of 4,000 windows out of 10,000 (a few
 * minutes at 20k events/s), all read again when the store reopened. Hence the second bound: the log is
 * folded once it holds {@link FoldPolicy#minLogBytes} and four times the bytes of the states it still
 * holds current. A replay writes most windows once, so it still folds by count.
 *
 * <p>A fold runs on a thread of its own, beside the writes that follow: it was half of the cache write
 * of a replay, on the stream path's critical path (measured). The folding windows stay readable in
 * memory until the fold is done; the log records it covers are removed only after its windows are in
 * the map, so a crash at any point reopens to the same states (records newer than the fold replay
 * over it). One fold runs at a time.
 */
final class MvStoreWindows {
    /**
     * When the in-memory table is folded: at {@code maxWindows} windows, or once the log holds at least
     * {@code minLogBytes} and {@link #SUPERSEDED_RATIO} times the bytes of the states still current in it.
     */
    record FoldPolicy(int maxWindows, long minLogBytes) {
        static final int SUPERSEDED_RATIO = 4;

        boolean due(int windows, long logBytes, long currentBytes) {
            return windows >= maxWindows || logBytes >= minLogBytes && logBytes >= SUPERSEDED_RATIO * currentBytes;
        }
    }

    private final MVStore store;
    private final MVMap<String, byte[]> folded;
    /** Records of changed states, key = sortable sequence number; folded and removed together. */
    private final MVMap<String, byte[]> log;
    /**
     * Per group key: the newest state of its windows written since the last fold, and its newest folded
     * window. A sorted map of window-id strings spent a third of a replay comparing their long common prefixes.
     */
    private final Map<WindowGroup, GroupWindows> groups = new ConcurrentHashMap<>();
    /** Per table, how many writes changed its windows (see {@link WindowState#readBy}). */
    private final Map<String, AtomicLong> tableWrites = new ConcurrentHashMap<>();
    private int recentSize;
    /** Bytes of the states in the in-memory table (the current ones), and of the log records since the last fold. */
    private long recentBytes;
    private long logBytes;
    private final FoldPolicy foldPolicy;
    private long nextRecord;
    /** The running fold's thread, or null. */
    private Thread folding;

    MvStoreWindows(MVStore store, FoldPolicy foldPolicy) {
        this.store = store;
        this.foldPolicy = foldPolicy;
        this.folded = store.openMap("windows", new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        this.log = store.openMap("windows_log", new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        for (Iterator<String> keys = folded.keyIterator(null); keys.hasNext(); ) {
            WindowId id = WindowId.parse(keys.next());
            group(id).folded(id.windowStart());
        }
        // Record numbers count up from 0 after each fold, so their keys are at or above sortableHex(0).
        // Before 2026-12-07 a reopened log numbered on from a misread key, below sortableHex(0): such
        // records are newer than every record above it (and a later reopen wrote over them). Replayed
        // last, they win as they did when written, and the log is folded at once so that numbering is gone.
        String first = WindowId.sortableHex(0);
        for (Iterator<String> keys = log.keyIterator(first); keys.hasNext(); ) {
            String key = keys.next();
            replay(log.get(key));
            nextRecord = WindowId.fromSortableHex(key) + 1;
        }
        boolean misnumbered = false;
        for (Iterator<String> keys = log.keyIterator(null); keys.hasNext(); ) {
            String key = keys.next();
            if (key.compareTo(first) >= 0) {
                break;
            }
            replay(log.get(key));
            misnumbered = true;
        }
        if (misnumbered) {
            fold();
        }
    }

    private void replay(byte[] record) {
        logBytes += record.length;
        WindowLogRecord.decode(record).forEach((id, state) -> remember(group(id), id, state));
    }

    /**
     * The current state of each window, new and empty where none is stored, marked with where it was
     * read (see {@link WindowState#readBy}). The table's write count is taken before the window is
     * read: a write the state does not reflect ends after it, so its count differs at {@link #putAll}.
     */
    List<WindowState> read(List<WindowId> ids) {
        List<WindowState> out = new ArrayList<>(ids.size());
        WindowId previous = null;
        GroupWindows windows = null;
        long writes = 0;
        for (WindowId id : ids) {
            if (!sameGroup(previous, id)) { // ids come grouped by key: one lookup for a key's windows
                writes = writesOf(id.table()).get(); // before the group is looked up: see above
                windows = groups.get(WindowGroup.of(id));
            }
            previous = id;
            byte[] data = stored(windows, id);
            WindowState state = data == null ? new WindowState(id) : WindowStateCodec.decode(id, data);
            state.readBy = this;
            state.readGroup = windows;
            state.readWrites = writes;
            out.add(state);
        }
        return out;
    }

    /** Whether two ids name one group key, checked by identity: the writer's ids share their strings. */
    private static boolean sameGroup(WindowId a, WindowId b) {
        return a != null && a.groupKey() == b.groupKey() && a.window() == b.window() && a.table() == b.table();
    }

    private AtomicLong writesOf(String table) {
        AtomicLong writes = tableWrites.get(table);
        return writes != null ? writes : tableWrites.computeIfAbsent(table, t -> new AtomicLong());
    }

    private byte[] stored(GroupWindows windows, WindowId id) {
        if (windows == null) {
            return null;
        }
        byte[] data = windows.recent(id.windowStart());
        return data != null || !windows.mayBeFolded(id.windowStart()) ? data : folded.get(id.asString());
    }

    private GroupWindows group(WindowId id) {
        return groups.computeIfAbsent(WindowGroup.of(id), g -> new GroupWindows());
    }

    private void remember(GroupWindows windows, WindowId id, byte[] state) {
        byte[] replaced = windows.put(id.windowStart(), state);
        if (replaced == null) {
            recentSize++;
        }
        recentBytes += state.length - (replaced == null ? 0 : replaced.length);
    }

    /**
     * Writes the states, encoded, durably and all or nothing, if each window's stored version still is
     * the one its state was read at; the caller holds the cache's write lock. A state this store read
     * while its table's write count was what it is now needs no check: nothing of the table changed.
     */
    void putAll(List<WindowState> states, byte[][] encoded) {
        GroupWindows[] found = new GroupWindows[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            WindowState s = states.get(i);
            if (s.readBy == this && s.readWrites == writesOf(s.id().table()).get()) {
                found[i] = (GroupWindows) s.readGroup;
                continue;
            }
            found[i] = groups.get(WindowGroup.of(s.id()));
            byte[] current = stored(found[i], s.id());
            if ((current == null ? 0 : WindowStateCodec.version(current)) != s.storedVersion()) {
                throw new SpeedCache.ConflictException(s.id());
            }
        }
        byte[] record = WindowLogRecord.encode(states, encoded);
        log.put(WindowId.sortableHex(nextRecord++), record);
        MvStoreSpeedCache.commitOrClose(store);
        logBytes += record.length;
        String counted = null;
        for (int i = 0; i < encoded.length; i++) {
            WindowId id = states.get(i).id();
            remember(found[i] != null ? found[i] : group(id), id, encoded[i]);
        }
        for (WindowState s : states) { // after the states are in place: see read
            if (!s.id().table().equals(counted)) {
                counted = s.id().table();
                writesOf(counted).incrementAndGet();
            }
        }
        if (foldPolicy.due(recentSize, logBytes, recentBytes)) {
            foldInBackground();
        }
    }

    /** Folds now, on this thread: the in-memory table into the sorted map, the log dropped. */
    void fold() {
        awaitFold();
        WindowFold fold = detach();
        if (fold != null) {
            fold.run();
        }
    }

    /** Starts a fold on a thread of its own, once the previous one is done. */
    private void foldInBackground() {
        awaitFold();
        WindowFold fold = detach();
        folding = fold == null ? null : fold.start();
    }

    /** Waits for the running fold, if any (a failed fold closed the store: the next call opens it again). */
    void awaitFold() {
        WindowFold.awaitEnd(folding);
        folding = null;
    }

    /**
     * Detaches the windows written since the last fold and returns the fold of them (null when there
     * are none): their states put into the sorted map, then the log records up to now removed, committed.
     */
    private WindowFold detach() {
        List<Map.Entry<WindowGroup, GroupWindows>> detached = new ArrayList<>();
        groups.forEach((group, windows) -> {
            if (windows.detach()) {
                detached.add(Map.entry(group, windows));
            }
        });
        if (detached.isEmpty()) {
            return null;
        }
        String covered = WindowId.sortableHex(nextRecord); // records below this key hold no newer state
        recentSize = 0;
        recentBytes = 0;
        logBytes = 0;
        return new WindowFold(store, folded, log, detached, covered);
    }

    /** The windows of one group key with starts in [from, to), ascending, at most {@code limit}; newest state of each. */
    List<Map.Entry<WindowId, byte[]>> range(WindowId from, long to, int limit) {
        WindowGroup group = WindowGroup.of(from);
        // Memory first: a window only ever moves from there into the folded map, so read in this order
        // each one is found in one place or the other (the other order could miss a fold in between and
        // return a state older than one written before the read began).
        NavigableMap<Long, byte[]> inMemory = new TreeMap<>();
        GroupWindows windows = groups.get(group);
        if (windows != null) {
            windows.forEachIn(from.windowStart(), to, limit, inMemory::put);
        }
        NavigableMap<Long, byte[]> merged = new TreeMap<>();
        String end = to == Long.MAX_VALUE ? WindowId.prefix(group.table(), group.window(), group.groupKey()) + Character.MAX_VALUE
                : group.at(to).asString();
        Iterator<String> keys = folded.keyIterator(from.asString());
        while (keys.hasNext() && merged.size() < limit) {
            String key = keys.next();
            if (key.compareTo(end) >= 0) {
                break;
            }
            merged.put(WindowId.parse(key).windowStart(), folded.get(key));
        }
        merged.putAll(inMemory); // the first `limit` of the union lie within the first `limit` of each side
        List<Map.Entry<WindowId, byte[]>> out = new ArrayList<>(Math.min(limit, merged.size()));
        for (Map.Entry<Long, byte[]> e : merged.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(Map.entry(group.at(e.getKey()), e.getValue()));
        }
        return out;
    }

    /** Removes every window of {@code table}; returns how many. */
    int removeTable(String table) {
        fold();
        String prefix = table + WindowId.SEP;
        List<String> doomed = new ArrayList<>();
        Iterator<String> keys = folded.keyIterator(prefix);
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            doomed.add(key);
        }
        doomed.forEach(folded::remove);
        groups.keySet().removeIf(group -> group.table().equals(table));
        writesOf(table).incrementAndGet(); // states read before refer to removed groups
        MvStoreSpeedCache.commitOrClose(store);
        return doomed.size();
    }

    /** Bytes of the log records written since the last fold (what a reopen reads again). */
    long logBytes() {
        return logBytes;
    }

    /** Touches the maps, so a broken store fails here. */
    void check() {
        folded.size();
        log.size();
    }
}
