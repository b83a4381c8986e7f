package io.hybridlake.lake;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The lake on a local (or mounted) filesystem, through java.nio rather than Hadoop's
 * LocalFileSystem: no checksum side files, no Hadoop configuration. The commit primitive "create only
 * if absent" is a hard link of a fully written temporary file, which is atomic on POSIX filesystems
 * and safe across processes sharing the lake.
 */
public final class LocalFileIO implements FileIO, RecursiveListing {
    private final Map<String, String> conf;

    public LocalFileIO(Map<String, String> conf) {
        this.conf = Map.copyOf(conf);
    }

    static Path toPath(String path) {
        if (path.startsWith("file:")) {
            String rest = path.substring("file:".length());
            while (rest.startsWith("//")) {
                rest = rest.substring(1);
            }
            return Path.of(rest);
        }
        return Path.of(path);
    }

    @Override
    public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
        Path start = toPath(filePath);
        Path dir = start.getParent();
        String from = start.getFileName().toString();
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException("no such directory: " + dir);
        }
        List<FileStatus> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.compareTo(from) >= 0) {
                    try {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                        out.add(FileStatus.of(qualify(p), a.size(), a.lastModifiedTime().toMillis()));
                    } catch (NoSuchFileException raced) {
                        // deleted between listing and stat (a temp file or vacuum): not part of the listing
                    }
                }
            }
        }
        out.sort((a, b) -> a.getPath().compareTo(b.getPath()));
        return KernelIterators.of(out);
    }

    @Override
    public List<FileStatus> listRecursively(String directory) throws IOException {
        Path dir = toPath(directory);
        List<FileStatus> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        out.add(FileStatus.of(qualify(p), a.size(), a.lastModifiedTime().toMillis()));
                    }
                } catch (NoSuchFileException raced) {
                    // deleted while walking: not part of the listing
                }
            }
        }
        return out;
    }

    @Override
    public FileStatus getFileStatus(String path) throws IOException {
        Path p = toPath(path);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return FileStatus.of(qualify(p), a.size(), a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException(path);
        }
    }

    @Override
    public String resolvePath(String path) {
        return qualify(toPath(path));
    }

    private static String qualify(Path p) {
        return "file:" + p.toAbsolutePath().normalize();
    }

    @Override
    public boolean mkdirs(String path) throws IOException {
        Files.createDirectories(toPath(path));
        return true;
    }

    @Override
    public InputFile newInputFile(String path, long fileSize) {
        return new InputFile() {
            @Override
            public long length() throws IOException {
                return fileSize >= 0 ? fileSize : getFileStatus(path).getSize();
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public SeekableInputStream newStream() throws IOException {
                try {
                    return new LocalInputStream(FileChannel.open(toPath(path), StandardOpenOption.READ));
                } catch (NoSuchFileException e) {
                    throw new FileNotFoundException(path); // Kernel treats only this as "absent"
                }
            }
        };
    }

    @Override
    public OutputFile newOutputFile(String path) {
        return new OutputFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public PositionOutputStream create(boolean putIfAbsent) throws IOException {
                // Written beside the target and published on close: a reader listing the directory
                // (Kernel looking for the newest checkpoint, while it is being written) never sees a
                // half-written file.
                Path target = toPath(path);
                Files.createDirectories(target.getParent());
                if (putIfAbsent && Files.exists(target)) {
                    throw new FileAlreadyExistsException(path);
                }
                Path temp = temporarySibling(target);
                FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new LocalOutputStream(ch, temp, target, !putIfAbsent);
            }

            @Override
            public void writeAtomically(CloseableIterator<String> lines, boolean overwrite) throws IOException {
                Path target = toPath(path);
                Files.createDirectories(target.getParent());
                Path temp = temporarySibling(target);
                try (lines; Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    while (lines.hasNext()) {
                        w.write(lines.next());
                        w.write('\n');
                    }
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(temp);
                    throw e;
                }
                publish(temp, target, overwrite);
            }
        };
    }

    private static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    /**
     * Moves a fully written temporary file into place. Without overwrite it is a hard link, which is an
     * atomic create-if-absent on POSIX filesystems and safe across processes sharing the lake.
     */
    static void publish(Path temp, Path target, boolean overwrite) throws IOException {
        try {
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.createLink(target, temp);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public boolean delete(String path) throws IOException {
        return Files.deleteIfExists(toPath(path));
    }

    @Override
    public Optional<String> getConf(String key) {
        return Optional.ofNullable(conf.get(key));
    }

    @Override
    public void copyFileAtomically(String src, String dest, boolean overwrite) throws IOException {
        Path target = toPath(dest);
        Files.createDirectories(target.getParent());
        Path temp = temporarySibling(target);
        Files.copy(toPath(src), temp);
        publish(temp, target, overwrite);
    }
}
