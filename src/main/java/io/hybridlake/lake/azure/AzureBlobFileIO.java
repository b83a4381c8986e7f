package io.hybridlake.lake.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.specialized.BlobOutputStream;
import com.azure.storage.common.implementation.Constants;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.hybridlake.lake.RecursiveListing;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lake on Azure Storage through the Blob API, which an ADLS Gen2 (hierarchical namespace) account
 * serves over the same data, and which Azurite emulates. Paths are {@code abfss://<file
 * system>@<account>.dfs.core.windows.net/<path>}; the file system is the container this client
 * was built for. A Delta commit is a Put Blob with {@code If-None-Match: *}: the service lets exactly
 * one writer create a version (409 for the others), which is Delta's "create only if absent".
 * Uploads are published only when complete (a single Put Blob, or a block list committed on close of
 * a stream whose writes all succeeded), so readers never see a partial object.
 */
final class AzureBlobFileIO implements FileIO, RecursiveListing {
    /** Reads are fetched in ranges of this size (Parquet seeks to footers and column chunks). */
    private static final int READ_CHUNK = 4 << 20;
    private static final long BLOCK_SIZE = 8L << 20;
    private final BlobContainerClient container;
    private final String scheme;
    private final String authority;
    private final Map<String, String> conf;

    /**
     * @param container the file system (container) holding the lake
     * @param authority the {@code <file system>@<account>.dfs.core.windows.net} part of lake paths
     */
    AzureBlobFileIO(BlobContainerClient container, String authority, Map<String, String> conf) {
        this.container = container;
        this.scheme = "abfss";
        this.authority = authority;
        this.conf = conf;
    }

    /** The blob name of a lake path ({@code abfss://fs@account.../a/b} or {@code /a/b} or {@code a/b}). */
    String blobName(String path) {
        String p = path;
        if (p.contains("://")) {
            URI uri = URI.create(p.replace(" ", "%20"));
            p = uri.getRawPath() == null ? "" : java.net.URLDecoder.decode(uri.getRawPath().replace("+", "%2B"),
                    StandardCharsets.UTF_8);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private String qualify(String blobName) {
        return scheme + "://" + authority + "/" + blobName;
    }

    @Override
    public String resolvePath(String path) {
        return qualify(blobName(path));
    }

    @Override
    public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
        String name = blobName(filePath);
        int slash = name.lastIndexOf('/');
        String dir = slash < 0 ? "" : name.substring(0, slash + 1);
        List<FileStatus> out = new ArrayList<>();
        try {
            // the service lists in lexicographic order, as Kernel needs; only this directory's blobs
            for (BlobItem item : container.listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(dir), null)) {
                if (Boolean.TRUE.equals(item.isPrefix()) || item.getName().compareTo(name) < 0) {
                    continue;
                }
                out.add(status(item));
            }
        } catch (BlobStorageException e) {
            throw failure("list", dir, e);
        }
        return io.delta.kernel.internal.util.Utils.toCloseableIterator(out.iterator());
    }

    @Override
    public List<FileStatus> listRecursively(String directory) throws IOException {
        String prefix = blobName(directory) + "/";
        List<FileStatus> out = new ArrayList<>();
        try {
            for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix)
                    .setDetails(new BlobListDetails()), null)) {
                out.add(status(item));
            }
        } catch (BlobStorageException e) {
            throw failure("list", prefix, e);
        }
        return out;
    }

    private FileStatus status(BlobItem item) {
        return FileStatus.of(qualify(item.getName()), item.getProperties().getContentLength(),
                item.getProperties().getLastModified().toInstant().toEpochMilli());
    }

    @Override
    public FileStatus getFileStatus(String path) throws IOException {
        String name = blobName(path);
        try {
            BlobProperties p = container.getBlobClient(name).getProperties();
            return FileStatus.of(qualify(name), p.getBlobSize(), p.getLastModified().toInstant().toEpochMilli());
        } catch (BlobStorageException e) {
            throw failure("read the properties of", name, e);
        }
    }

    /** Blob storage has no directories (an ADLS Gen2 account creates parents implicitly). */
    @Override
    public boolean mkdirs(String path) {
        return true;
    }

    @Override
    public InputFile newInputFile(String path, long fileSize) {
        String name = blobName(path);
        return new InputFile() {
            @Override
            public long length() throws IOException {
                return fileSize >= 0 ? fileSize : getFileStatus(path).getSize();
            }

            @Override
            public String path() {
                return path;
            }

            /**
             * Kernel opens some files with an unknown size (0), such as {@code _last_checkpoint}, and
             * takes only FileNotFoundException as "absent" (anything else it retries, sleeping): the
             * blob's properties are read first then.
             */
            @Override
            public SeekableInputStream newStream() throws IOException {
                long size = fileSize > 0 ? fileSize : getFileStatus(path).getSize();
                return new RangeInputStream(container.getBlobClient(name), name, size);
            }
        };
    }

    @Override
    public OutputFile newOutputFile(String path) {
        String name = blobName(path);
        return new OutputFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public PositionOutputStream create(boolean putIfAbsent) {
                BlobRequestConditions conditions = putIfAbsent
                        ? new BlobRequestConditions().setIfNoneMatch(Constants.HeaderConstants.ETAG_WILDCARD) : null;
                BlobOutputStream out = container.getBlobClient(name).getBlockBlobClient().getBlobOutputStream(
                        new ParallelTransferOptions().setBlockSizeLong(BLOCK_SIZE).setMaxConcurrency(2), null, null, null,
                        conditions);
                return new UploadStream(out, name);
            }

            @Override
            public void writeAtomically(CloseableIterator<String> lines, boolean overwrite) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (lines) {
                    while (lines.hasNext()) {
                        bytes.write(lines.next().getBytes(StandardCharsets.UTF_8));
                        bytes.write('\n');
                    }
                }
                put(name, bytes.toByteArray(), overwrite);
            }
        };
    }

    /** One Put Blob: all or nothing; without {@code overwrite} only if no blob has the name (409/412 otherwise). */
    private void put(String name, byte[] data, boolean overwrite) throws IOException {
        BlobParallelUploadOptions options = new BlobParallelUploadOptions(BinaryData.fromBytes(data));
        if (!overwrite) {
            options.setRequestConditions(new BlobRequestConditions().setIfNoneMatch(Constants.HeaderConstants.ETAG_WILDCARD));
        }
        try {
            container.getBlobClient(name).uploadWithResponse(options, null, null);
        } catch (BlobStorageException e) {
            throw failure("write", name, e);
        }
    }

    @Override
    public boolean delete(String path) throws IOException {
        String name = blobName(path);
        try {
            return container.getBlobClient(name).deleteIfExists();
        } catch (BlobStorageException e) {
            throw failure("delete", name, e);
        }
    }

    @Override
    public Optional<String> getConf(String key) {
        return Optional.ofNullable(conf.get(key));
    }

    /** Download and a conditional upload: used for checkpoints (small), so no server-side copy authorisation is needed. */
    @Override
    public void copyFileAtomically(String src, String dest, boolean overwrite) throws IOException {
        String from = blobName(src);
        byte[] data;
        try {
            data = container.getBlobClient(from).downloadContent().toBytes();
        } catch (BlobStorageException e) {
            throw failure("read", from, e);
        }
        put(blobName(dest), data, overwrite);
    }

    /** An {@link IOException} naming the blob: 404 as FileNotFound, 409/412 on a conditional write as AlreadyExists. */
    private IOException failure(String what, String name, BlobStorageException e) {
        String where = qualify(name);
        if (e.getStatusCode() == 404) {
            FileNotFoundException f = new FileNotFoundException(where);
            f.initCause(e);
            return f;
        }
        if (e.getStatusCode() == 409 && BlobErrorCode.BLOB_ALREADY_EXISTS.equals(e.getErrorCode())
                || e.getStatusCode() == 412) {
            FileAlreadyExistsException f = new FileAlreadyExistsException(where);
            f.initCause(e);
            return f;
        }
        return new IOException("cannot " + what + " " + where + ": HTTP " + e.getStatusCode() + " "
                + e.getErrorCode() + ": " + e.getServiceMessage(), e);
    }

    /** Reads a blob in ranges; seeks are free. */
    private final class RangeInputStream extends SeekableInputStream {
        private final BlobClient blob;
        private final String name;
        private final long length;
        private byte[] buffer = new byte[0];
        private long bufferStart;
        private long pos;

        RangeInputStream(BlobClient blob, String name, long length) {
            this.blob = blob;
            this.name = name;
            this.length = length;
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
            long count = Math.min(size, length - pos);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) count);
            try {
                blob.downloadStreamWithResponse(out, new BlobRange(pos, count), null, null, false,
                        Duration.ofMinutes(5), null);
            } catch (BlobStorageException e) {
                throw failure("read", name, e);
            }
            buffer = out.toByteArray();
            bufferStart = pos;
            if (buffer.length == 0) {
                throw new EOFException("no bytes at offset " + pos + " of " + qualify(name) + " (" + length + " bytes)");
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
                    throw new EOFException("end of " + qualify(name) + " after " + pos + " bytes");
                }
                done += n;
            }
        }
    }

    /**
     * Blocks staged as written, committed on close. A write that failed (or a writer that failed and
     * closes in a finally) leaves the staged blocks uncommitted — the service drops them — so nothing
     * partial becomes visible.
     */
    private final class UploadStream extends PositionOutputStream {
        private final BlobOutputStream out;
        private final String name;
        private long pos;
        private boolean failed;
        private boolean closed;

        UploadStream(BlobOutputStream out, String name) {
            this.out = out;
            this.name = name;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void write(int b) throws IOException {
            failed = true;
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
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (failed) {
                throw new IOException("not committing " + qualify(name) + ": an earlier write to it failed");
            }
            try {
                out.close();
            } catch (IOException e) {
                if (e.getCause() instanceof BlobStorageException b) {
                    throw failure("write", name, b);
                }
                throw new IOException("cannot write " + qualify(name) + ": " + e.getMessage(), e);
            } catch (BlobStorageException e) {
                throw failure("write", name, e);
            }
        }
    }
}
