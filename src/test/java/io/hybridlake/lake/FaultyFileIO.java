package io.hybridlake.lake;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A fault-injecting storage wrapper for tests (the lake's storage port, around the real local one):
 * with probability {@code rate} per call, a call fails before reaching storage (unavailable), times
 * out (a socket timeout, as a remote store would), or — for writes — fails after the write happened
 * (the response was lost). A write failing half-way publishes nothing, as on object storage.
 */
final class FaultyFileIO implements FileIO, RecursiveListing {
    static final String MARK = "injected";
    private final FileIO real;
    private final SplittableRandom random;
    private volatile double rate;
    /** Atomic writes of paths it accepts fail as if the process died just before them. */
    volatile Predicate<String> dieBeforeWriting = path -> false;
    final AtomicLong injected = new AtomicLong();

    FaultyFileIO(FileIO real, long seed, double rate) {
        this.real = real;
        this.random = new SplittableRandom(seed);
        this.rate = rate;
    }

    void rate(double value) {
        this.rate = value;
    }

    private synchronized boolean roll() {
        return rate > 0 && random.nextDouble() < rate;
    }

    /** Maybe fails before the call: storage unavailable or a timeout. */
    private void before(String op, String path) throws IOException {
        if (roll()) {
            injected.incrementAndGet();
            boolean timeout;
            synchronized (this) {
                timeout = random.nextBoolean();
            }
            throw timeout ? new SocketTimeoutException(MARK + ": " + op + " " + path + " timed out")
                    : new IOException(MARK + ": storage unavailable during " + op + " " + path);
        }
    }

    /** Maybe fails after a write that happened: the response was lost. */
    private void after(String op, String path) throws IOException {
        if (roll()) {
            injected.incrementAndGet();
            throw new IOException(MARK + ": response lost after " + op + " " + path + " (the write happened)");
        }
    }

    @Override
    public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
        before("list", filePath);
        return real.listFrom(filePath);
    }

    @Override
    public List<FileStatus> listRecursively(String directory) throws IOException {
        before("list", directory);
        return ((RecursiveListing) real).listRecursively(directory);
    }

    @Override
    public FileStatus getFileStatus(String path) throws IOException {
        before("stat", path);
        return real.getFileStatus(path);
    }

    @Override
    public String resolvePath(String path) throws IOException {
        return real.resolvePath(path);
    }

    @Override
    public boolean mkdirs(String path) throws IOException {
        before("mkdirs", path);
        return real.mkdirs(path);
    }

    @Override
    public InputFile newInputFile(String path, long fileSize) {
        InputFile in = real.newInputFile(path, fileSize);
        return new InputFile() {
            @Override
            public long length() throws IOException {
                return in.length();
            }

            @Override
            public String path() {
                return in.path();
            }

            @Override
            public SeekableInputStream newStream() throws IOException {
                before("read", path);
                return in.newStream();
            }
        };
    }

    @Override
    public OutputFile newOutputFile(String path) {
        OutputFile out = real.newOutputFile(path);
        return new OutputFile() {
            @Override
            public String path() {
                return out.path();
            }

            @Override
            public PositionOutputStream create(boolean putIfAbsent) throws IOException {
                before("create", path);
                long failAt = -1;
                if (roll()) {
                    synchronized (FaultyFileIO.this) {
                        failAt = random.nextInt(8192);
                    }
                }
                return new FaultyStream(out.create(putIfAbsent), path, failAt);
            }

            @Override
            public void writeAtomically(CloseableIterator<String> lines, boolean overwrite) throws IOException {
                if (dieBeforeWriting.test(path)) {
                    throw new IOException(MARK + ": the process died before writing " + path);
                }
                before("write", path);
                out.writeAtomically(lines, overwrite);
                after("write", path);
            }
        };
    }

    @Override
    public boolean delete(String path) throws IOException {
        before("delete", path);
        return real.delete(path);
    }

    @Override
    public Optional<String> getConf(String key) {
        return real.getConf(key);
    }

    @Override
    public void copyFileAtomically(String src, String dest, boolean overwrite) throws IOException {
        before("copy", dest);
        real.copyFileAtomically(src, dest, overwrite);
    }

    /** Fails half-way after {@code failAt} bytes (then nothing is published), and some closes after publishing. */
    private final class FaultyStream extends PositionOutputStream {
        private final PositionOutputStream real;
        private final String path;
        private final long failAt;
        private long written;
        private boolean broken;

        FaultyStream(PositionOutputStream real, String path, long failAt) {
            this.real = real;
            this.path = path;
            this.failAt = failAt;
        }

        @Override
        public long getPos() throws IOException {
            return real.getPos();
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            real.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            real.write(b, off, len);
        }

        private void check(int len) throws IOException {
            if (!broken && failAt >= 0 && written + len > failAt) {
                broken = true;
                injected.incrementAndGet();
            }
            if (broken) {
                throw new IOException(MARK + ": the upload of " + path + " failed after " + written + " bytes");
            }
            written += len;
        }

        @Override
        public void close() throws IOException {
            if (broken) {
                return; // the upload failed: the real stream is abandoned, nothing is published
            }
            real.close();
            after("upload", path);
        }
    }
}
