package io.hybridlake.lake;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.utils.CloseableIterable;
import io.hybridlake.HybridlakeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One Delta table: create, snapshots, versions, marks, schema. Appends: {@link TableAppends}. Reads:
 * {@link TableReader}, {@link TableFiles}, {@link TableLog}, {@link FileReads}. Rewrites: {@link Rewrite},
 * {@link TableCompaction}, {@link RowRemoval}.
 */
public final class LakeTable {
    static final String ENGINE_INFO = "Hybridlake/" + CommitLineage.codeVersion();

    private final Lake lake;
    private final String name;
    private final String path;

    LakeTable(Lake lake, String name, String path) {
        this.lake = lake;
        this.name = name;
        this.path = path;
    }

    public String name() {
        return name;
    }

    public String path() {
        return path;
    }

    Lake lake() {
        return lake;
    }

    Engine engine() {
        return lake.engine();
    }

    Optional<Snapshot> latest() {
        try {
            return Optional.of(TableManager.loadSnapshot(path).build(engine()));
        } catch (TableNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new LakeException(name, "cannot load the latest snapshot of table " + name + " at " + path
                    + ": " + e.getMessage(), e);
        }
    }

    Snapshot snapshot(long version) {
        if (version < 0) {
            throw new HybridlakeException.BadRequest("version", "a version of table " + name
                    + " is 0 or more, not " + version);
        }
        try {
            return TableManager.loadSnapshot(path).atVersion(version).build(engine());
        } catch (TableNotFoundException e) {
            throw new HybridlakeException.NotFound(name, "table " + name + " does not exist");
        } catch (RuntimeException e) {
            long latest = latestVersion();
            if (version > latest) {
                throw new HybridlakeException.NotFound(name + "@" + version, "table " + name
                        + " has no version " + version + "; its versions are 0 to " + latest);
            }
            throw new LakeException(name, "cannot load version " + version + " of table " + name + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The latest version in the log now, or -1 if there is no table: from a listing of the log, which
     * costs one directory read where loading the latest snapshot also replays the log.
     */
    public long latestVersion() {
        return CommitFiles.list(this).latest().map(CommitFiles.Commit::version).orElse(-1L);
    }

    /**
     * The version that was current at {@code timestampMillis} (time travel by timestamp): the latest
     * commit at or before it. A time before the table's first commit is an error naming the table.
     */
    public long versionAt(long timestampMillis) {
        Snapshot latest = latest().orElseThrow(() -> new HybridlakeException.NotFound(name,
                "table " + name + " does not exist"));
        if (timestampMillis >= latest.getTimestamp(engine())) {
            return latest.getVersion(); // the version current then is the latest (Kernel refuses times after it)
        }
        try {
            return TableManager.loadSnapshot(path).atTimestamp(timestampMillis, latest).build(engine()).getVersion();
        } catch (RuntimeException e) { // Kernel's message names the table's absolute path: not for callers
            throw new HybridlakeException.BadRequest("asOf", "table " + name + " has no version at "
                    + Instant.ofEpochMilli(timestampMillis) + ": that is before its first commit");
        }
    }

    /** When the latest version was committed (epoch millis). */
    long latestCommitMillis() {
        return latest().map(s -> s.getTimestamp(engine())).orElse(0L);
    }

    /** The newest {@code limit} commits with their commit info and lineage, newest first. */
    public List<CommitHistory.Commit> history(int limit) {
        return CommitHistory.of(this, limit);
    }

    public boolean exists() {
        return latest().isPresent();
    }

    public Optional<TableSchema> schema() {
        return latest().map(s -> KernelSchemas.tableSchema(s.getSchema(), s.getPartitionColumnNames(), name));
    }

    /** The domain-metadata values whose names start with {@code prefix}, as of {@code version}. */
    public Map<String, String> domainsAt(long version, String prefix) {
        Map<String, String> out = new TreeMap<>();
        ((SnapshotImpl) snapshot(version)).getActiveDomainMetadataMap().forEach((name, d) -> {
            if (name.startsWith(prefix) && !d.isRemoved()) {
                out.put(name, d.getConfiguration());
            }
        });
        return out;
    }

    /** The version recorded under {@code appId} as of table version {@code version}, or -1. */
    public long transactionVersionAt(long version, String appId) {
        return snapshot(version).getLatestTransactionVersion(engine(), appId).orElse(-1L);
    }

    /** The table's schema as of {@code version}. */
    public TableSchema schemaAt(long version) {
        Snapshot s = snapshot(version);
        return KernelSchemas.tableSchema(s.getSchema(), s.getPartitionColumnNames(), name);
    }

    /** The last version committed under {@code appId}, or -1 if none (or no table yet), read from the log now. */
    public long lastTransactionVersion(String appId) {
        return latest().flatMap(s -> s.getLatestTransactionVersion(engine(), appId)).orElse(-1L);
    }

    /**
     * The last version this process knows was committed under {@code appId}: exact for a single
     * writer, possibly behind when another process writes the same app id (then an append finds out
     * at commit time and re-reads). For fast paths only, never to decide what is safe to skip.
     */
    public long knownTransactionVersion(String appId) {
        SnapshotCache.Entry entry = lake.snapshots().get(path);
        return entry == null ? lastTransactionVersion(appId) : entry.txnVersion(this, appId);
    }

    /**
     * A Delta domain-metadata value (a key/value annotation committed atomically with data), as of
     * this process's latest known snapshot of the table; empty if unset or no table.
     */
    public Optional<String> domainMetadata(String domain) {
        SnapshotCache.Entry entry = lake.snapshots().get(path);
        if (entry == null) {
            Optional<Snapshot> latest = latest();
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            entry = lake.snapshots().put(path, latest.get());
        }
        return entry.domain(domain);
    }

    /** Drops this process's cached snapshot: the next read loads the log again (another writer moved it). */
    public void forgetCachedSnapshot() {
        lake.snapshots().invalidate(path);
    }

    /** Creates the table with this schema unless it exists; a concurrent creator winning is fine. */
    public void ensureExists(TableSchema schema) {
        if (exists()) {
            return;
        }
        List<Column> partitions = schema.partitionColumns().stream().map(Column::new).toList();
        try {
            Transaction create = TableManager.buildCreateTableTransaction(path, KernelSchemas.structType(schema), ENGINE_INFO)
                    .withTableProperties(Map.of("delta.feature.domainMetadata", "supported")) // stream progress state
                    .withDataLayoutSpec(partitions.isEmpty() ? DataLayoutSpec.noDataLayout()
                            : DataLayoutSpec.partitioned(partitions))
                    .build(engine());
            create.commit(engine(), CloseableIterable.emptyIterable());
        } catch (TableAlreadyExistsException e) {
            // another writer created it first
        } catch (ConcurrentWriteException e) {
            // lost the race to write version 0; the table exists now
        } catch (RuntimeException e) {
            if (!exists()) {
                throw new LakeException(name, "cannot create table " + name + " at " + path + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Brings the table to {@code target}: adds its columns the table lacks (they must be nullable; old
     * rows read them as null). Refuses a changed type, nullability or partitioning, or a dropped column,
     * naming the column. Returns whether the table changed. See {@link SchemaEvolution}.
     */
    public boolean evolve(TableSchema target) {
        return new SchemaEvolution(this).evolve(target);
    }

    /**
     * Replaces the files {@code removePaths} (log paths, as read at {@code readVersion}) by {@code rows}
     * and records {@code marks}, in one commit; throws {@link ConcurrentCommitException} if anything
     * was committed since {@code readVersion} (the caller re-reads and redoes its work).
     */
    public RewriteResult rewrite(TableSchema schema, long readVersion, Set<String> removePaths, RowBatch rows,
            Map<String, Long> marks) {
        return Rewrite.commit(this, schema, readVersion, removePaths, rows, marks, true);
    }

    /**
     * A copy-on-write rewrite written in several batches (bounded memory) and committed once, with
     * the same strict conflict check as {@link #rewrite}.
     */
    public Rewrite beginRewrite(TableSchema schema, long readVersion, Map<String, Long> marks) {
        return new Rewrite(this, schema, readVersion, marks, true);
    }

    /**
     * A merge-on-read rewrite: replaced rows are marked in deletion vectors ({@link Rewrite#deleteRow}),
     * their files stay; turns on {@code delta.enableDeletionVectors} in the commit if the table lacks it.
     */
    public Rewrite beginMergeOnRead(TableSchema schema, long readVersion, Map<String, Long> marks) {
        return new Rewrite(this, schema, readVersion, marks, true, false, true);
    }

    /** The latest version, creating the table with {@code schema} first if it does not exist. */
    public long latestVersionCreatingIfAbsent(TableSchema schema) {
        return latestCreatingIfAbsent(schema).getVersion();
    }

    Snapshot latestCreatingIfAbsent(TableSchema schema) {
        Optional<Snapshot> snapshot = latest();
        if (snapshot.isPresent()) {
            return snapshot.get();
        }
        ensureExists(schema);
        return latest().orElseThrow(() -> new LakeException(name, "table " + name + " vanished after creation"));
    }

    /**
     * Appends the rows in one commit that also records {@code mark}, without the exactly-once filtering
     * ({@link TableAppends#append}).
     */
    public CommitResult append(RowBatch rows, TransactionMark mark) {
        return new TableAppends(this).append(rows, mark);
    }

    /**
     * Sets domain-metadata values in a commit of their own on top of {@code readVersion}: no rows, no
     * marks; rebased over concurrent appends (it changes no data). Returns the version committed.
     */
    public long setDomains(long readVersion, Map<String, String> domains) {
        Rewrite rewrite = new Rewrite(this, schemaAt(readVersion), readVersion, Map.of(), false);
        domains.forEach(rewrite::setDomain);
        return rewrite.commit(Set.of());
    }

    void runHooks(TransactionCommitResult result) {
        for (PostCommitHook hook : result.getPostCommitHooks()) {
            // Checkpoints keep snapshot loads bounded; a simple checksum is incremental. A full checksum
            // replays the whole log (it was half the CPU of small commits) and log compaction is optional.
            if (hook.getType() == PostCommitHook.PostCommitHookType.CHECKPOINT
                    || hook.getType() == PostCommitHook.PostCommitHookType.CHECKSUM_SIMPLE) {
                lake.runPostCommit(name, hook.getType().name(), () -> invoke(hook));
            }
        }
    }

    private void invoke(PostCommitHook hook) {
        try {
            hook.threadSafeInvoke(engine());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code batch} under the table's column order (by name), or a {@link LakeException} saying what differs. */
    RowBatch conformed(Snapshot snapshot, RowBatch batch) {
        TableSchema table = KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(), name);
        return batch.conformedTo(SchemaMatch.target(name, table, batch.schema()));
    }
}
