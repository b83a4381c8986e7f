package io.hybridlake.lake;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests a lake sent to its storage service, per operation ({@code list}, {@code read}, {@code put-blob},
 * ...): on remote storage every call is a round trip, so calls per commit are what a commit costs there.
 * Counted by storage adapters that speak to a service (Azure Blob); a local lake counts nothing.
 */
public final class StorageCalls {
    private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

    public void record(String operation) {
        byOperation.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    public long count(String operation) {
        LongAdder n = byOperation.get(operation);
        return n == null ? 0 : n.sum();
    }

    /** The counts so far, by operation name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byOperation.forEach((op, n) -> out.put(op, n.sum()));
        return out;
    }

    /** Per operation, the calls made since {@code earlier} (a {@link #snapshot()}). */
    public Map<String, Long> since(Map<String, Long> earlier) {
        Map<String, Long> out = snapshot();
        out.replaceAll((op, n) -> n - earlier.getOrDefault(op, 0L));
        out.values().removeIf(n -> n == 0);
        return out;
    }
}
