package io.hybridlake.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Bounded local copies of a remote lake's data files, for readers that read only local files (DuckDB,
 * behind the SQL endpoint). A Delta data file is written once under a unique name and never changed,
 * so a copy stays valid as long as it exists and needs no invalidation; it is written under a
 * temporary name and moved into place, so no reader sees half a file, and its size is checked
 * against the log's.
 *
 * <p>A query's copies are pinned by its lease until it ends; the least recently used unpinned copies
 * are deleted once the total passes {@code maxBytes}. A query whose own files pass {@code maxBytes}
 * is refused with the sizes, so the disk in use stays below {@code maxBytes} times the queries
 * running at once. The copies live in {@code <dir>/hybridlake-file-cache/<pid>}; directories left by
 * processes that are gone are deleted on first use, this process's own on {@link #close()}.
 */
public final class FileCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FileCache.class.getName());

    /** A copy on local disk; {@code ready} completes when its bytes are in place. */
    private static final class Copy {
        final String location;
        final Path path;
        final long size;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        int pins;

        Copy(String location, Path path, long size) {
            this.location = location;
            this.path = path;
            this.size = size;
        }
    }

    private final Lake lake;
    private final Path parent;
    private final Path dir;
    private final long maxBytes;
    /** Copies by location, least recently used first. */
    private final LinkedHashMap<String, Copy> copies = new LinkedHashMap<>(64, 0.75f, true);
    private final ExecutorService downloads;
    private long bytes;
    private boolean started;

    public FileCache(Lake lake, Path dir, long maxBytes, int parallelDownloads) {
        this.lake = lake;
        this.parent = dir.toAbsolutePath().normalize().resolve("hybridlake-file-cache");
        this.dir = parent.resolve(Long.toString(ProcessHandle.current().pid()));
        this.maxBytes = maxBytes;
        this.downloads = Executors.newFixedThreadPool(Math.max(1, parallelDownloads), r -> {
            Thread t = new Thread(r, "lake-file-cache");
            t.setDaemon(true);
            return t;
        });
    }

    /** The directory holding the copies: the only one a reader of them needs. */
    public Path directory() {
        return dir;
    }

    /** The bytes of the copies on disk now. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Copies for one query: pinned until the lease is closed. */
    public LocalFiles lease() {
        return new Lease();
    }

    private final class Lease implements LocalFiles {
        private final List<Copy> pinned = new ArrayList<>();

        @Override
        public List<Path> paths(String table, List<LakeFile> files) {
            long needed = files.stream().mapToLong(LakeFile::size).sum();
            if (needed > maxBytes) {
                throw new LakeException(table, "reading table " + table + " needs local copies of " + files.size()
                        + " files, " + needed + " bytes, more than the file cache's " + maxBytes
                        + " (hybridlake.sql.cache-bytes): raise it or read fewer versions or tables in one query");
            }
            // every location checked before any copy is registered: a refused one must leave no copy
            // behind that nobody will download (a later query would wait for it forever)
            List<Path> local = files.stream().map(f -> localPath(table, f.location())).toList();
            List<Copy> wanted = new ArrayList<>();
            List<Copy> fetch = new ArrayList<>();
            synchronized (FileCache.this) {
                startOnce();
                for (int i = 0; i < files.size(); i++) {
                    LakeFile f = files.get(i);
                    Copy copy = copies.get(f.location());
                    if (copy != null && copy.ready.isCompletedExceptionally()) {
                        forget(copy); // a failed copy: try again
                        copy = null;
                    }
                    if (copy == null) {
                        copy = new Copy(f.location(), local.get(i), f.size());
                        copies.put(f.location(), copy);
                        bytes += copy.size;
                        fetch.add(copy);
                    }
                    copy.pins++;
                    pinned.add(copy);
                    wanted.add(copy);
                }
                evict();
            }
            fetch.forEach(copy -> downloads.execute(() -> download(table, copy)));
            List<Path> paths = new ArrayList<>(wanted.size());
            for (Copy copy : wanted) {
                try {
                    copy.ready.join();
                } catch (CompletionException e) {
                    synchronized (FileCache.this) {
                        forget(copy);
                    }
                    throw e.getCause() instanceof LakeException le ? le : new LakeException(table, "cannot copy "
                            + copy.location + " of table " + table + ": " + e.getCause(), e.getCause());
                }
                paths.add(copy.path);
            }
            return paths;
        }

        @Override
        public void close() {
            synchronized (FileCache.this) {
                pinned.forEach(c -> c.pins--);
                pinned.clear();
                evict();
            }
        }
    }

    /** The copy's path: the file's path under the lake root, kept inside the cache directory. */
    private Path localPath(String table, String location) {
        String root = lake.root() + "/";
        if (!location.startsWith(root)) {
            throw new LakeException(table, "data file " + location + " of table " + table + " is outside the lake "
                    + lake.root());
        }
        Path path = dir.resolve(location.substring(root.length())).normalize();
        if (!path.startsWith(dir) || path.equals(dir)) {
            throw new LakeException(table, "data file " + location + " of table " + table + " leaves the lake root");
        }
        return path;
    }

    private void download(String table, Copy copy) {
        String location = copy.location;
        Path part = copy.path.resolveSibling(copy.path.getFileName() + ".part-" + UUID.randomUUID());
        try {
            Files.createDirectories(copy.path.getParent());
            try (InputStream in = lake.io().newInputFile(location, copy.size).newStream();
                    OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(out);
            }
            long got = Files.size(part);
            if (got != copy.size) {
                throw new IOException("read " + got + " bytes, the Delta log says " + copy.size);
            }
            Files.move(part, copy.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            copy.ready.complete(null);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(part);
            copy.ready.completeExceptionally(new LakeException(table, "cannot copy data file " + location + " of table "
                    + table + " to local disk for SQL: " + e.getMessage(), e));
        }
    }

    /** Drops a copy whose download failed (the next query tries again); holds the lock. */
    private void forget(Copy copy) {
        if (copies.remove(copy.location, copy)) {
            bytes -= copy.size;
        }
    }

    /** Deletes least recently used copies no query holds until the total fits. */
    private void evict() {
        Iterator<Copy> lru = copies.values().iterator();
        while (bytes > maxBytes && lru.hasNext()) {
            Copy copy = lru.next();
            if (copy.pins == 0 && copy.ready.isDone()) {
                lru.remove();
                bytes -= copy.size;
                deleteQuietly(copy.path);
            }
        }
    }

    /** On first use: deletes the copy directories of processes that are gone. */
    private void startOnce() {
        if (started) {
            return;
        }
        started = true;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> others = Files.list(parent)) {
                others.filter(p -> !p.equals(dir) && !alive(p.getFileName().toString())).forEach(FileCache::deleteTree);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the file cache directory " + dir, e);
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours: left alone
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(FileCache::deleteQuietly);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the stale file cache " + root + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + p + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        downloads.shutdownNow();
        synchronized (this) {
            copies.clear();
            bytes = 0;
        }
        if (Files.exists(dir)) {
            deleteTree(dir);
        }
    }
}
