package io.hybridlake.lake;

import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A lake file written by {@link LocalFileIO}: written to a temporary sibling and published on close
 * (never when a write failed half-way, even if the caller closes in a finally).
 */
final class LocalOutputStream extends PositionOutputStream {
    private final FileChannel channel;
    private final OutputStream out;
    private final Path temp;
    private final Path target;
    private final boolean overwrite;
    private long pos;
    private boolean closed;
    private boolean failed;

    LocalOutputStream(FileChannel channel, Path temp, Path target, boolean overwrite) {
        this.channel = channel;
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        this.temp = temp;
        this.target = target;
        this.overwrite = overwrite;
    }

    @Override
    public long getPos() {
        return pos;
    }

    @Override
    public void write(int b) throws IOException {
        failed = true; // until it returns: a writer that failed half-way must not publish on close
        out.write(b);
        failed = false;
        pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        failed = true;
        out.write(b, off, len);
        failed = false;
        pos += len;
    }

    @Override
    public void flush() throws IOException {
        failed = true;
        out.flush();
        failed = false;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failed) { // a write failed and the caller closes in a finally: drop the partial file
            try (channel) {
                Files.deleteIfExists(temp);
            }
            throw new IOException("not publishing " + target + ": an earlier write to it failed");
        }
        try (channel) {
            out.flush();
        } catch (UncheckedIOException e) {
            Files.deleteIfExists(temp);
            throw e.getCause();
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        LocalFileIO.publish(temp, target, overwrite);
    }
}
