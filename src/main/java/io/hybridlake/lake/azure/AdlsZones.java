package io.hybridlake.lake.azure;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.file.datalake.DataLakeFileSystemClient;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The only DFS (ADLS Gen2 hierarchical namespace) calls of the platform, kept apart because neither
 * Azurite nor a plain Blob account serves them: creating the lake's file system and its zone
 * directories (raw, refined, curated, _rejected, _late), which on an HNS account are real directories
 * that can carry ACLs per zone. Everything else — data, commits, listings — goes through the Blob API
 * ({@link AzureBlobFileIO}), which an HNS account serves over the same data. Run once by the
 * deployment (or {@code hybridlake.lake.create-zones=true}); Bicep creates the file system too.
 */
public final class AdlsZones {
    public static final List<String> ZONES = List.of("raw", "refined", "curated", "_rejected", "_late");

    private AdlsZones() {
    }

    /** The file-system client of a lake root ({@code abfss://fs@account.dfs.core.windows.net/path}). */
    static DataLakeFileSystemClient fileSystem(String root, Optional<String> connectionString, Optional<String> dfsEndpoint) {
        URI uri = URI.create(root);
        String host = uri.getHost();
        DataLakeServiceClientBuilder builder = new DataLakeServiceClientBuilder();
        if (connectionString.isPresent()) {
            builder.connectionString(connectionString.get());
        } else {
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        builder.endpoint(dfsEndpoint.orElse("https://" + host));
        return builder.buildClient().getFileSystemClient(uri.getUserInfo());
    }

    /** Creates the file system if absent (served by Blob too). Returns whether it was created. */
    public static boolean createFileSystem(String root, Optional<String> connectionString, Optional<String> dfsEndpoint) {
        DataLakeFileSystemClient fs = fileSystem(root, connectionString, dfsEndpoint);
        return fs.createIfNotExists();
    }

    /** Creates each zone directory under the root's path if absent (DFS only). Returns the ones created. */
    public static List<String> createZones(String root, Optional<String> connectionString, Optional<String> dfsEndpoint) {
        DataLakeFileSystemClient fs = fileSystem(root, connectionString, dfsEndpoint);
        String base = URI.create(root).getPath() == null ? "" : URI.create(root).getPath().replaceAll("^/+|/+$", "");
        List<String> created = new ArrayList<>();
        for (String zone : ZONES) {
            String path = base.isEmpty() ? zone : base + "/" + zone;
            if (!fs.getDirectoryClient(path).exists()) {
                fs.createDirectoryIfNotExists(path);
                created.add(path);
            }
        }
        return created;
    }
}
