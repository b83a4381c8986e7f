package io.hybridlake.lake.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.common.implementation.Constants;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.hybridlake.lake.RecursiveListing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
    static final long BLOCK_SIZE = 8L << 20;
    private final BlobContainerClient container;
    private final String scheme;
    private final String authority;
    private final Map<String, String> conf;
    private final RecentWrites recent = new RecentWrites();

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
            p = uri.getRawPath() == null ? "" : URLDecoder.decode(uri.getRawPath().replace("+", "%2B"),
                    StandardCharsets.UTF_8);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    String qualify(String blobName) {
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
        return Utils.toCloseableIterator(out.iterator());
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
        RecentWrites.Written written = recent.get(name);
        if (written != null) {
            return FileStatus.of(qualify(name), written.size(), written.lastModifiedMillis());
        }
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
                RecentWrites.Written written = recent.get(name);
                return new BlobRangeInput(container.getBlobClient(name), qualify(name), size,
                        written != null && written.size() == size ? written : null);
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
                return new BlobUploadStream(AzureBlobFileIO.this, container, name, putIfAbsent);
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
        put(name, data, data.length, overwrite);
    }

    /** As above for the first {@code length} bytes of {@code data}; remembered in {@link RecentWrites}. */
    void put(String name, byte[] data, int length, boolean overwrite) throws IOException {
        BlobParallelUploadOptions options = new BlobParallelUploadOptions(
                BinaryData.fromByteBuffer(ByteBuffer.wrap(data, 0, length)));
        if (!overwrite) {
            options.setRequestConditions(ifAbsent());
        }
        recent.forget(name);
        try {
            var response = container.getBlobClient(name).uploadWithResponse(options, null, null);
            recent.put(name, data, length, response.getValue().getLastModified().toInstant().toEpochMilli());
        } catch (BlobStorageException e) {
            throw failure("write", name, e);
        }
    }

    static BlobRequestConditions ifAbsent() {
        return new BlobRequestConditions().setIfNoneMatch(Constants.HeaderConstants.ETAG_WILDCARD);
    }

    @Override
    public boolean delete(String path) throws IOException {
        String name = blobName(path);
        recent.forget(name);
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

    /** An {@link IOException} naming the blob (see {@link BlobFailures}). */
    IOException failure(String what, String name, BlobStorageException e) {
        return BlobFailures.of(what, qualify(name), e);
    }
}
