package io.hybridlake.serving;

import io.hybridlake.HybridlakeException;
import java.util.List;

/**
 * The speed layer's store: a versioned key/value store of window states. Aggregation lives in the
 * core ({@code stream.WindowUpdater}); a store only reads, compares versions and writes. Adapters:
 * embedded MVStore (local) and Cosmos DB (Azure).
 */
public interface SpeedCache extends AutoCloseable {
    /**
     * The current state of each window, in the order of {@code ids}: as stored, or new and empty
     * ({@link WindowState#storedVersion} 0) where none is. A list, not a map: a replay's poll reads
     * tens of thousands of windows.
     */
    List<WindowState> getAll(List<WindowId> ids);

    /**
     * Writes the states if every stored version still equals the version its state was read at
     * ({@link WindowState#storedVersion}, 0 = absent), else throws {@link ConflictException} and writes
     * nothing (locally) or only entries that matched (stores without multi-entry transactions; the
     * caller re-runs, which is idempotent).
     */
    void putAll(List<WindowState> states);

    /**
     * De-duplication claims: for each event (id, event time) not claimed yet, stores the claim's token
     * (who the first occurrence is), durably, before returning. Returns each claim's winning token, in
     * order: its own, or an earlier claimant's. Re-claiming with the same token returns that token, so
     * a re-delivered batch finds its own claims and counts its events again, exactly once.
     */
    List<String> claim(String table, List<Claim> claims);

    /** Forgets claims of {@code table} whose event time is before {@code eventTimeMicros}; returns how many. */
    int expireClaims(String table, long eventTimeMicros);

    /** One event's claim on its id and event time; {@code token} names the event (topic:partition:offset). */
    record Claim(String id, long eventTimeMicros, String token) {
    }

    /** All windows of one group key, oldest first. */
    default List<WindowState> windowsOf(String table, String window, String groupKey, int limit) {
        return windowsOf(table, window, groupKey, Long.MIN_VALUE, Long.MAX_VALUE, limit);
    }

    /** The windows of one group key whose state bucket starts in [fromStart, toStart) (micros), oldest first. */
    List<WindowState> windowsOf(String table, String window, String groupKey, long fromStart, long toStart, int limit);

    /** Removes every window of {@code table} (de-duplication claims stay); returns how many. */
    int removeWindows(String table);

    /** Throws if the store cannot be read or written. */
    void checkHealthy();

    @Override
    void close();

    /** Another writer changed a window between our read and our write. */
    final class ConflictException extends HybridlakeException {
        public ConflictException(WindowId id) {
            super(id.table(), "window " + id.window() + " of key '" + id.groupKey() + "' in table " + id.table()
                    + " was changed concurrently");
        }
    }
}
