package io.hybridlake.lake.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.specialized.BlobOutputStream;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A blob written as a stream. Up to one block it is held in memory and sent as one Put Blob on
 * close (the common case: micro-batch files), whose answer gives the blob's status for
 * {@link RecentWrites}. Past one block it is streamed as staged blocks committed on close. Either
 * way nothing is visible before close, and a write that failed (or a writer that failed and closes
 * in a finally) commits nothing: staged blocks are dropped by the service.
 */
final class BlobUploadStream extends PositionOutputStream {
    private final AzureBlobFileIO io;
    private final BlobContainerClient container;
    private final String name;
    private final boolean putIfAbsent;
    private byte[] head = new byte[8 << 10];
    private BlobOutputStream out;
    private long pos;
    private boolean failed;
    private boolean closed;

    BlobUploadStream(AzureBlobFileIO io, BlobContainerClient container, String name, boolean putIfAbsent) {
        this.io = io;
        this.container = container;
        this.name = name;
        this.putIfAbsent = putIfAbsent;
    }

    @Override
    public long getPos() {
        return pos;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        failed = true;
        if (out == null && pos + len > AzureBlobFileIO.BLOCK_SIZE) {
            out = container.getBlobClient(name).getBlockBlobClient().getBlobOutputStream(
                    new ParallelTransferOptions().setBlockSizeLong(AzureBlobFileIO.BLOCK_SIZE).setMaxConcurrency(2), null, null, null,
                    putIfAbsent ? AzureBlobFileIO.ifAbsent() : null);
            out.write(head, 0, (int) pos);
            head = null;
        }
        if (out != null) {
            out.write(b, off, len);
        } else {
            if (pos + len > head.length) {
                head = Arrays.copyOf(head, (int) Math.min(AzureBlobFileIO.BLOCK_SIZE, Math.max(pos + len, 2L * head.length)));
            }
            System.arraycopy(b, off, head, (int) pos, len);
        }
        failed = false;
        pos += len;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failed) {
            throw new IOException("not committing " + io.qualify(name) + ": an earlier write to it failed");
        }
        if (out == null) {
            io.put(name, head, (int) pos, !putIfAbsent);
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            if (e.getCause() instanceof BlobStorageException b) {
                throw io.failure("write", name, b);
            }
            throw new IOException("cannot write " + io.qualify(name) + ": " + e.getMessage(), e);
        } catch (BlobStorageException e) {
            throw io.failure("write", name, e);
        }
    }
}
