package io.hybridlake.serving;

import io.hybridlake.HybridlakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVStore;

/**
 * The embedded speed cache: one H2 MVStore file. A {@link #putAll} is checked and applied under a
 * lock and made durable by one MVStore commit, so a batch's window updates land all or nothing;
 * after a crash the store reopens at its last commit. Reads are lock-free map lookups. Windows and
 * de-duplication claims are both log-structured ({@link MvStoreWindows}, {@link MvStoreClaims}): a
 * commit writes what changed, not the B-tree leaves that random keys land in.
 */
public final class MvStoreSpeedCache implements SpeedCache {
    /**
     * The window log folds at 400k windows changed since the last fold (~300 bytes each in memory), or
     * once it holds 64 MB, at least four times the bytes of the states current in it.
     */
    static final MvStoreWindows.FoldPolicy FOLD_POLICY = new MvStoreWindows.FoldPolicy(400_000, 64L << 20);

    private final Path file;
    private final MVStore store;
    private final MvStoreWindows windows;
    private final MvStoreClaims claims;

    public MvStoreSpeedCache(Path file) {
        this(file, FOLD_POLICY);
    }

    MvStoreSpeedCache(Path file, MvStoreWindows.FoldPolicy foldPolicy) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled()
                    .cacheSize(64) // MB of pages: the folded windows' upper levels stay in memory
                    .open();
        } catch (Exception e) {
            throw new HybridlakeException(file.toString(), "cannot open the speed cache file " + file + ": "
                    + e.getMessage() + " (is another Hybridlake process using it?)", e);
        }
        this.windows = new MvStoreWindows(store, foldPolicy);
        this.claims = new MvStoreClaims(store);
    }

    @Override
    public List<String> claim(String table, List<Claim> wanted) {
        return claims.claim(table, wanted);
    }

    @Override
    public int expireClaims(String table, long eventTimeMicros) {
        return claims.expire(table, eventTimeMicros);
    }

    @Override
    public List<WindowState> getAll(List<WindowId> ids) {
        return windows.read(ids);
    }

    @Override
    public synchronized void putAll(List<WindowState> states) {
        byte[][] encoded = new byte[states.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = WindowStateCodec.encode(states.get(i));
        }
        windows.putAll(states, encoded);
    }

    @Override
    public List<WindowState> windowsOf(String table, String window, String groupKey, long fromStart, long toStart,
            int limit) {
        List<WindowState> out = new ArrayList<>();
        for (Map.Entry<WindowId, byte[]> e : windows.range(new WindowId(table, window, groupKey, fromStart), toStart, limit)) {
            out.add(WindowStateCodec.decode(e.getKey(), e.getValue()));
        }
        return out;
    }

    @Override
    public synchronized int removeWindows(String table) {
        return windows.removeTable(table);
    }

    @Override
    public void checkHealthy() {
        if (store.isClosed()) {
            throw new HybridlakeException(file.toString(), "the speed cache " + file + " is closed");
        }
        windows.check();
    }

    @Override
    public void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }

    /** Bytes of window-log records since the last fold (tests: the log stays bounded). */
    long windowLogBytes() {
        return windows.logBytes();
    }
}
