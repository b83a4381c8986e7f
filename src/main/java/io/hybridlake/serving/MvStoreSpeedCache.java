package io.hybridlake.serving;

import io.hybridlake.HybridlakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVStore;

/**
 * The embedded speed cache: one H2 MVStore file. A {@link #putAll} is checked and applied under a
 * lock and made durable by one MVStore commit, so a batch's window updates land all or nothing;
 * after a crash the store reopens at its last commit. Reads are lock-free map lookups. Windows and
 * de-duplication claims are both log-structured ({@link MvStoreWindows}, {@link MvStoreClaims}): a
 * commit writes what changed, not the B-tree leaves that random keys land in. A commit that fails (a
 * full disk, an I/O error) closes the store without writing ({@link #commitOrClose}); the next call
 * opens the file again at its last commit, with the in-memory tables rebuilt from it. So one failed
 * batch (retried by its trigger from the lake's marks) neither leaves half its changes pending for the
 * next commit nor takes the cache down for every pipeline until a restart.
 */
public final class MvStoreSpeedCache implements SpeedCache {
    private static final System.Logger LOG = System.getLogger(MvStoreSpeedCache.class.getName());

    /**
     * The window log folds at 400k windows changed since the last fold (~300 bytes each in memory), or
     * once it holds 64 MB, at least four times the bytes of the states current in it.
     */
    static final MvStoreWindows.FoldPolicy FOLD_POLICY = new MvStoreWindows.FoldPolicy(400_000, 64L << 20);

    /** The store and the maps over it, replaced together when the store is opened again. */
    private record Opened(MVStore store, MvStoreWindows windows, MvStoreClaims claims) {
    }

    /** H2's name of the file: a path (tests: a path under one of H2's file systems). */
    private final String fileName;
    private final MvStoreWindows.FoldPolicy foldPolicy;
    private final AtomicLong reopens = new AtomicLong();
    private volatile Opened opened;
    private volatile boolean closed;

    public MvStoreSpeedCache(Path file) {
        this(file, FOLD_POLICY);
    }

    MvStoreSpeedCache(Path file, MvStoreWindows.FoldPolicy foldPolicy) {
        this(file.toString(), foldPolicy);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (Exception e) {
            throw new HybridlakeException(fileName, "cannot create the directory of the speed cache file " + fileName
                    + ": " + e.getMessage(), e);
        }
        this.opened = open();
    }

    /** Over an H2 file name as is (tests open it under a file system that injects faults); opened by {@link #current}. */
    MvStoreSpeedCache(String fileName, MvStoreWindows.FoldPolicy foldPolicy) {
        this.fileName = fileName;
        this.foldPolicy = foldPolicy;
    }

    private Opened open() {
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(fileName).autoCommitDisabled()
                    .cacheSize(64) // MB of pages: the folded windows' upper levels stay in memory
                    .open();
        } catch (Exception e) {
            throw new HybridlakeException(fileName, "cannot open the speed cache file " + fileName + ": "
                    + e.getMessage() + " (is another Hybridlake process using it?)", e);
        }
        return new Opened(store, new MvStoreWindows(store, foldPolicy), new MvStoreClaims(store));
    }

    /** The open store, opened again at its last commit if a failed write closed it. */
    private Opened current() {
        Opened o = opened;
        if (o != null && !o.store().isClosed()) {
            return o;
        }
        synchronized (this) {
            if (closed) {
                throw new HybridlakeException(fileName, "the speed cache " + fileName + " is closed");
            }
            if (opened == null || opened.store().isClosed()) {
                boolean failed = opened != null;
                opened = open();
                if (failed) {
                    reopens.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "the speed cache {0} was closed after a failed write; "
                            + "opened again at its last commit", fileName);
                }
            }
            return opened;
        }
    }

    @Override
    public List<String> claim(String table, List<Claim> wanted) {
        return current().claims().claim(table, wanted);
    }

    @Override
    public int expireClaims(String table, long eventTimeMicros) {
        return current().claims().expire(table, eventTimeMicros);
    }

    @Override
    public List<WindowState> getAll(List<WindowId> ids) {
        return current().windows().read(ids);
    }

    @Override
    public synchronized void putAll(List<WindowState> states) {
        byte[][] encoded = new byte[states.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = WindowStateCodec.encode(states.get(i));
        }
        current().windows().putAll(states, encoded);
    }

    @Override
    public List<WindowState> windowsOf(String table, String window, String groupKey, long fromStart, long toStart,
            int limit) {
        List<WindowState> out = new ArrayList<>();
        for (Map.Entry<WindowId, byte[]> e : current().windows().range(new WindowId(table, window, groupKey, fromStart),
                toStart, limit)) {
            out.add(WindowStateCodec.decode(e.getKey(), e.getValue()));
        }
        return out;
    }

    @Override
    public synchronized int removeWindows(String table) {
        return current().windows().removeTable(table);
    }

    /** Healthy when the store is open, or opens again after a failed write. */
    @Override
    public void checkHealthy() {
        current().windows().check();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (opened != null && !opened.store().isClosed()) {
            opened.windows().awaitFold();
            opened.store().close();
        }
    }

    /**
     * Commits the store's changes, or, if the write fails, closes it without writing anything more:
     * MVStore would otherwise keep the failed commit's changes pending and write them with the next
     * one, and the in-memory tables over it (the window log's, the claims') would no longer match what
     * is durable. The next call opens the store again at its last commit ({@link #current}).
     */
    static void commitOrClose(MVStore store) {
        try {
            store.commit();
        } catch (RuntimeException e) {
            try {
                store.closeImmediately();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** How many times the store was opened again after a failed write closed it. */
    long reopens() {
        return reopens.get();
    }

    /** Bytes of window-log records since the last fold (tests: the log stays bounded). */
    long windowLogBytes() {
        return current().windows().logBytes();
    }
}
