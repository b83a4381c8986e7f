package io.hybridlake.serving;

import io.hybridlake.HybridlakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The embedded speed cache: one H2 MVStore file. A {@link #putAll} is checked and applied under a
 * lock and made durable by one MVStore commit, so a batch's window updates land all or nothing;
 * after a crash the store reopens at its last commit. Reads are lock-free map lookups.
 */
public final class MvStoreSpeedCache implements SpeedCache {
    private final Path file;
    private final MVStore store;
    private final MVMap<String, byte[]> windows;
    private final MvStoreClaims claims;

    public MvStoreSpeedCache(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        } catch (Exception e) {
            throw new HybridlakeException(file.toString(), "cannot open the speed cache file " + file + ": "
                    + e.getMessage() + " (is another Hybridlake process using it?)", e);
        }
        // Typed key and value types: the generic ObjectDataType compared keys by reflection-like dispatch.
        this.windows = store.openMap("windows", new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
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
    public Map<WindowId, WindowState> getAll(Collection<WindowId> ids) {
        Map<WindowId, WindowState> out = new HashMap<>(ids.size() * 2);
        for (WindowId id : ids) {
            byte[] data = windows.get(id.asString());
            if (data != null) {
                out.put(id, WindowStateCodec.decode(id, data));
            }
        }
        return out;
    }

    @Override
    public synchronized void putAll(List<WindowState> states, Map<WindowId, Long> expectedVersions) {
        List<String> keys = new ArrayList<>(states.size());
        for (WindowState s : states) {
            String key = s.id().asString();
            byte[] current = windows.get(key);
            long stored = current == null ? 0 : WindowStateCodec.version(current);
            if (stored != expectedVersions.getOrDefault(s.id(), 0L)) {
                throw new ConflictException(s.id());
            }
            keys.add(key);
        }
        for (int i = 0; i < states.size(); i++) {
            windows.put(keys.get(i), WindowStateCodec.encode(states.get(i)));
        }
        store.commit();
    }

    @Override
    public List<WindowState> windowsOf(String table, String window, String groupKey, long fromStart, long toStart,
            int limit) {
        String prefix = WindowId.prefix(table, window, groupKey);
        String end = new WindowId(table, window, groupKey, toStart).asString();
        List<WindowState> out = new ArrayList<>();
        Iterator<String> keys = windows.keyIterator(new WindowId(table, window, groupKey, fromStart).asString());
        while (keys.hasNext() && out.size() < limit) {
            String key = keys.next();
            if (!key.startsWith(prefix) || (toStart != Long.MAX_VALUE && key.compareTo(end) >= 0)) {
                break;
            }
            WindowId id = WindowId.parse(key);
            out.add(WindowStateCodec.decode(id, windows.get(key)));
        }
        return out;
    }

    @Override
    public synchronized int removeWindows(String table) {
        String prefix = table + WindowId.SEP;
        List<String> doomed = new ArrayList<>();
        Iterator<String> keys = windows.keyIterator(prefix);
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            doomed.add(key);
        }
        doomed.forEach(windows::remove);
        store.commit();
        return doomed.size();
    }

    @Override
    public void checkHealthy() {
        if (store.isClosed()) {
            throw new HybridlakeException(file.toString(), "the speed cache " + file + " is closed");
        }
        windows.size();
    }

    @Override
    public void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }
}
