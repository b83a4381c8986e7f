package io.hybridlake.serving;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.store.fs.FileBaseDefault;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * A fault-injecting H2 file system for tests (scheme {@code failing:}, over the disk): while
 * {@link #FAIL_WRITES} is set, every write throws before anything reaches the file, as a full disk does.
 */
public final class FailingFiles extends FilePathWrapper {
    static final AtomicBoolean FAIL_WRITES = new AtomicBoolean();

    static {
        FilePath.register(new FailingFiles());
    }

    /** The H2 file name of {@code path} under this file system. */
    static String name(java.nio.file.Path path) {
        return "failing:" + path;
    }

    @Override
    public String getScheme() {
        return "failing";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(getBase().open(mode));
    }

    private static final class Channel extends FileBaseDefault {
        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            if (FAIL_WRITES.get()) {
                throw new IOException("injected write failure: no space left on device");
            }
            return base.write(src, position);
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public void force(boolean metaData) throws IOException {
            base.force(metaData);
        }

        @Override
        protected void implTruncate(long size) throws IOException {
            base.truncate(size);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
