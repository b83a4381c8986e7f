package io.hybridlake.lake;

import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The row positions of deletion vectors, for readers that are not Kernel (SQL), read once per vector:
 * a descriptor names immutable bytes (a new vector always gets a new file or offset), so a cached
 * copy never goes stale. Bounded by the positions held (least recently used go first); vectors not
 * held are read in parallel — on object storage each is a ranged read with its round trip.
 */
final class DeletionVectorCache implements AutoCloseable {
    private final long maxPositions;
    private final LinkedHashMap<String, long[]> byVector = new LinkedHashMap<>(64, 0.75f, true);
    private final ExecutorService reads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "lake-deletion-vectors");
        t.setDaemon(true);
        return t;
    });
    private long positions;

    DeletionVectorCache(long maxPositions) {
        this.maxPositions = maxPositions;
    }

    /**
     * The sorted deleted positions of each data file of {@code table} at {@code version}
     * ({@code vectors.get(i)} null: none), in order.
     */
    List<long[]> positions(LakeTable table, long version, List<String> dataFiles, List<DeletionVectorDescriptor> vectors) {
        List<CompletableFuture<long[]>> loads = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            DeletionVectorDescriptor dv = vectors.get(i);
            if (dv == null) {
                loads.add(CompletableFuture.completedFuture(new long[0]));
                continue;
            }
            String key = table.path() + "#" + dv.getUniqueId();
            long[] held;
            synchronized (this) {
                held = byVector.get(key);
            }
            if (held != null) {
                loads.add(CompletableFuture.completedFuture(held));
                continue;
            }
            String dataFile = dataFiles.get(i);
            loads.add(CompletableFuture.supplyAsync(() -> keep(key, DeletionVectors.positions(table, version, dataFile, dv)),
                    reads));
        }
        List<long[]> out = new ArrayList<>(loads.size());
        for (CompletableFuture<long[]> load : loads) {
            try {
                out.add(load.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        return out;
    }

    private synchronized long[] keep(String key, long[] vector) {
        if (vector.length > maxPositions) {
            return vector;
        }
        if (byVector.put(key, vector) == null) {
            positions += vector.length;
        }
        var oldest = byVector.values().iterator();
        while (positions > maxPositions && oldest.hasNext()) {
            positions -= oldest.next().length;
            oldest.remove();
        }
        return vector;
    }

    @Override
    public void close() {
        reads.shutdownNow();
    }
}
