package io.hybridlake.lake.azure;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * Reads a blob in ranges of {@link #READ_CHUNK} (Parquet seeks to footers and column chunks); seeks are
 * free. The last bytes of a blob this process just wrote come from {@link RecentWrites}.
 */
final class BlobRangeInput extends SeekableInputStream {
    private static final int READ_CHUNK = 4 << 20;
    private final BlobClient blob;
    /** The blob's lake path, for errors. */
    private final String where;
    private final long length;
    /** The blob's last bytes, when this process just wrote it (RecentWrites). */
    private final RecentWrites.Written written;
    private byte[] buffer = new byte[0];
    private long bufferStart;
    private long pos;

    BlobRangeInput(BlobClient blob, String where, long length, RecentWrites.Written written) {
        this.blob = blob;
        this.where = where;
        this.length = length;
        this.written = written;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos >= length) {
            return -1;
        }
        if (pos < bufferStart || pos >= bufferStart + buffer.length) {
            fill(Math.max(len, READ_CHUNK));
        }
        int n = (int) Math.min(len, bufferStart + buffer.length - pos);
        System.arraycopy(buffer, (int) (pos - bufferStart), b, off, n);
        pos += n;
        return n;
    }

    private void fill(int size) throws IOException {
        if (written != null && written.holdsFrom(pos)) {
            buffer = written.from(pos);
            bufferStart = pos;
            return;
        }
        long count = Math.min(size, length - pos);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) count);
        try {
            blob.downloadStreamWithResponse(out, new BlobRange(pos, count), null, null, false,
                    Duration.ofMinutes(5), null);
        } catch (BlobStorageException e) {
            throw BlobFailures.of("read", where, e);
        }
        buffer = out.toByteArray();
        bufferStart = pos;
        if (buffer.length == 0) {
            throw new EOFException("no bytes at offset " + pos + " of " + where + " (" + length + " bytes)");
        }
    }

    @Override
    public long getPos() {
        return pos;
    }

    @Override
    public void seek(long newPos) {
        pos = newPos;
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        for (int done = 0; done < len; ) {
            int n = read(b, off + done, len - done);
            if (n < 0) {
                throw new EOFException("end of " + where + " after " + pos + " bytes");
            }
            done += n;
        }
    }
}
