package io.hybridlake.lake;

import io.delta.kernel.Snapshot;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest snapshot this process knows of each table, and the transaction versions read from or
 * committed to it, so a writer does not list the log, read the checkpoint and replay {@code txn}
 * actions before every commit (20–40 ms per commit, growing with the log; measured).
 *
 * <p>Staleness is safe: Kernel checks every commit against the commits that won since its snapshot
 * — blind appends rebase, and a winning commit with the same app id fails ours with
 * ConcurrentTransactionException, upon which the writer drops this entry, reloads and re-filters.
 */
final class SnapshotCache {
    /** One table's cached state. */
    static final class Entry {
        final Snapshot snapshot;
        final Map<String, Long> txnVersions = new ConcurrentHashMap<>();
        /** Domain metadata known at this snapshot; Kernel replays the log (checkpoint included) to answer. */
        final Map<String, Optional<String>> domains = new ConcurrentHashMap<>();

        Entry(Snapshot snapshot) {
            this.snapshot = snapshot;
        }

        /** The app id's last committed version at this snapshot, read from the log once. */
        long txnVersion(LakeTable table, String appId) {
            return txnVersions.computeIfAbsent(appId,
                    id -> snapshot.getLatestTransactionVersion(table.engine(), id).orElse(-1L));
        }

        /** A domain-metadata value at this snapshot, read from the log once. */
        Optional<String> domain(String domain) {
            return domains.computeIfAbsent(domain, snapshot::getDomainMetadata);
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    Entry get(String path) {
        return entries.get(path);
    }

    Entry put(String path, Snapshot snapshot) {
        Entry e = new Entry(snapshot);
        entries.put(path, e);
        return e;
    }

    /**
     * After our own commit: move to the post-commit snapshot, carrying the known txn versions and domain
     * values forward (exact: our commits run with Kernel's retries off, so the post-commit snapshot is
     * {@code from} plus our commit).
     */
    void advance(String path, Entry from, Snapshot committed, Map<String, Long> marks, Map<String, String> domains) {
        Entry next = new Entry(committed);
        next.txnVersions.putAll(from.txnVersions);
        next.txnVersions.putAll(marks);
        next.domains.putAll(from.domains);
        domains.forEach((k, v) -> next.domains.put(k, Optional.of(v)));
        entries.merge(path, next, (old, fresh) -> fresh.snapshot.getVersion() > old.snapshot.getVersion() ? fresh : old);
    }

    void invalidate(String path) {
        entries.remove(path);
    }
}
