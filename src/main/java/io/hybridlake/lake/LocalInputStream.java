package io.hybridlake.lake;

import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A lake file read by {@link LocalFileIO}: positioned reads straight from its channel. */
final class LocalInputStream extends SeekableInputStream {
    private final FileChannel channel;

    LocalInputStream(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long getPos() throws IOException {
        return channel.position();
    }

    @Override
    public void seek(long pos) throws IOException {
        channel.position(pos);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new EOFException("unexpected end of file after " + channel.position() + " bytes");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
