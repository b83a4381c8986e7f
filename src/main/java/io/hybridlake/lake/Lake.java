package io.hybridlake.lake;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The lake: a root directory of Delta tables on one storage backend. Holds the Kernel engine and the
 * background thread that runs post-commit hooks (checkpoints), so writers never wait for them.
 */
public final class Lake implements AutoCloseable {
    /** The JDK's logger facade: the core names no logging framework (the host routes it to its own). */
    private static final System.Logger LOG = System.getLogger(Lake.class.getName());

    /**
     * ZSTD: 6x smaller than Kernel's default UNCOMPRESSED at about the same write speed (FACTS.md).
     * No dictionary encoding: event ids and raw payloads are unique, so the dictionary fills, falls
     * back and wastes the CPU (it was the top Parquet cost in profiles); ZSTD absorbs the repetition.
     */
    static final Map<String, String> PARQUET_CONF = Map.of("parquet.compression", "ZSTD",
            "parquet.enable.dictionary", "false");

    private final FileIO io;
    private final Engine engine;
    private final String root;
    private final StorageCalls storageCalls;
    private final SnapshotCache snapshots = new SnapshotCache();
    /** Up to 4M positions (32 MB): the vectors of a 10M-row table after several merges. */
    private final DeletionVectorCache deletionVectors = new DeletionVectorCache(4L << 20);
    /** The listings of up to 200k data files (~200 bytes each): recent versions of the tables SQL reads. */
    private final VersionListings versionListings = new VersionListings(200_000);
    private final ConcurrentHashMap<String, Runnable> pendingHooks = new ConcurrentHashMap<>();
    private final ExecutorService hooks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lake-post-commit");
        t.setDaemon(true);
        return t;
    });

    public Lake(FileIO io, String root) {
        this(io, root, new StorageCalls());
    }

    /** A lake whose storage adapter counts its service calls into {@code storageCalls}. */
    public Lake(FileIO io, String root, StorageCalls storageCalls) {
        this.io = io;
        this.storageCalls = storageCalls;
        this.engine = new LakeEngine(io);
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** A lake on the local filesystem under {@code root}. */
    public static Lake local(Path root) {
        LocalFileIO io = new LocalFileIO(PARQUET_CONF);
        return new Lake(io, io.resolvePath(root.toAbsolutePath().toString()));
    }

    /** The Parquet settings of every lake's data files (compression, page sizes): for storage adapters. */
    public static Map<String, String> parquetConf() {
        return PARQUET_CONF;
    }

    public String root() {
        return root;
    }

    /** The calls made to the storage service so far (none counted on a local lake). */
    public StorageCalls storageCalls() {
        return storageCalls;
    }

    FileIO io() {
        return io;
    }

    /** The landing zone on this lake's storage. */
    public LandingFiles landing() {
        return new LandingFiles(this);
    }

    /**
     * Deletes files of {@code path} that no snapshot of the last {@code retentionMillis} needs (see
     * {@link Vacuum}); fails on storage that cannot list recursively.
     */
    public Vacuum.Result vacuum(TablePath path, long retentionMillis, long nowMillis) {
        if (!(io instanceof RecursiveListing listing)) {
            throw new LakeException(path.relative(), "this storage cannot list files recursively; vacuum of "
                    + path + " is not available");
        }
        return Vacuum.run(table(path), listing, retentionMillis, nowMillis);
    }

    public LakeTable table(TablePath path) {
        return new LakeTable(this, path.relative(), root + "/" + path.relative());
    }

    Engine engine() {
        return engine;
    }

    SnapshotCache snapshots() {
        return snapshots;
    }

    DeletionVectorCache deletionVectors() {
        return deletionVectors;
    }

    VersionListings versionListings() {
        return versionListings;
    }

    /**
     * Runs a post-commit hook in the background. Only the newest pending hook of a kind per table runs:
     * a checkpoint at version 40 makes a pending one at version 30 pointless.
     */
    void runPostCommit(String table, String kind, Runnable hook) {
        String key = table + "#" + kind;
        if (pendingHooks.put(key, hook) != null) {
            return; // a task is already queued for this key and will run the newest hook
        }
        hooks.execute(() -> {
            Runnable newest = pendingHooks.remove(key);
            try {
                newest.run();
            } catch (RuntimeException e) {
                // A missing checkpoint only slows later snapshot loads; the commit itself is durable.
                LOG.log(System.Logger.Level.WARNING, "post-commit " + kind + " failed for table " + table, e);
            }
        });
    }

    /** Waits until the post-commit hooks queued so far (checkpoints, checksums) have run. */
    public void awaitPostCommitHooks() {
        try {
            hooks.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Whether the lake root can be written: a probe file is written and deleted (the root is created if absent). */
    public void checkWritable() {
        String probe = root + "/.hybridlake-write-probe";
        try {
            io.mkdirs(root);
            io.newOutputFile(probe).writeAtomically(KernelIterators.of(List.of("probe")), true);
            io.delete(probe);
        } catch (IOException e) {
            throw new LakeException(root, "lake root " + root + " is not accessible: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        deletionVectors.close();
        hooks.shutdown();
        try {
            hooks.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
