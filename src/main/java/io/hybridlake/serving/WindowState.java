package io.hybridlake.serving;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The speed layer's state of one window bucket of one group key: its segments (see {@link Segment},
 * ordered by first event time) plus, per source partition, the highest offset already applied. The
 * high-water marks make applying a re-delivered batch a no-op; {@code version} guards concurrent
 * writers (compare-and-set): a state carries the version it was read at, and a store writes it only
 * over that version.
 */
public final class WindowState {
    private final WindowId id;
    private final List<Segment> segments;
    private long updatedAt;
    private long version;
    private final long storedVersion;
    private final Map<String, Long> highWater;
    /**
     * Set by the embedded store that read this state ({@link MvStoreWindows#read}): the store, the
     * window's group there, and the table's write count then. A write finding the count unchanged
     * skips the version check and the group lookup (a fifth of a replay's window stage, measured).
     */
    Object readBy;
    Object readGroup;
    long readWrites;

    /** A window not stored yet. */
    public WindowState(WindowId id) {
        this(id, new ArrayList<>(1), 0, 0, new HashMap<>());
    }

    /** A window as stored, at {@code version}. */
    public WindowState(WindowId id, List<Segment> segments, long updatedAt, long version, Map<String, Long> highWater) {
        this(id, segments, updatedAt, version, version, highWater);
    }

    /** A window at {@code version}, to be written over the stored {@code storedVersion} (0 = not stored). */
    public WindowState(WindowId id, List<Segment> segments, long updatedAt, long version, long storedVersion,
            Map<String, Long> highWater) {
        this.id = id;
        this.segments = segments;
        this.updatedAt = updatedAt;
        this.version = version;
        this.storedVersion = storedVersion;
        this.highWater = highWater;
    }

    public WindowId id() {
        return id;
    }

    /** Mutable, ordered by first event time. */
    public List<Segment> segments() {
        return segments;
    }

    public long count() {
        long c = 0;
        for (Segment s : segments) {
            c += s.count;
        }
        return c;
    }

    public long maxEventTime() {
        long max = Long.MIN_VALUE;
        for (Segment s : segments) {
            max = Math.max(max, s.last);
        }
        return max;
    }

    public long updatedAt() {
        return updatedAt;
    }

    public long version() {
        return version;
    }

    /** The version this state was read at, which a write expects to find stored (0 = not stored). */
    public long storedVersion() {
        return storedVersion;
    }

    public Map<String, Long> highWater() {
        return highWater;
    }

    /** Highest offset of {@code source} already applied to this window, or -1. */
    public long highWater(String source) {
        return highWater.getOrDefault(source, -1L);
    }

    public void markApplied(String source, long offset, long now) {
        highWater.merge(source, offset, Math::max);
        updatedAt = now;
        version++;
    }
}
