package io.hybridlake.lake.azure;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.LakeException;
import io.hybridlake.lake.StorageCalls;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens a lake on Azure Storage: root {@code abfss://<file system>@<account>.dfs.core.windows.net/<path>}.
 * Credentials: a connection string when given (Azurite, or a key kept in Key Vault), else
 * {@code DefaultAzureCredential} (the Function App's managed identity; needs Storage Blob Data
 * Contributor on the account). {@code blobEndpoint} overrides {@code https://<account>.blob.core.windows.net}
 * (Azurite: {@code http://127.0.0.1:10000/devstoreaccount1}). Transient failures (5xx, 429, timeouts)
 * are retried by the SDK with exponential back-off before an error reaches the lake.
 */
public final class AzureLake {
    private AzureLake() {
    }

    public static boolean isAzure(String root) {
        return root.startsWith("abfss://") || root.startsWith("abfs://");
    }

    public static Lake open(String root, Optional<String> connectionString, Optional<String> blobEndpoint) {
        URI uri = URI.create(root);
        String fileSystem = uri.getUserInfo();
        String host = uri.getHost();
        if (fileSystem == null || host == null || !host.contains(".")) {
            throw new LakeException(root, "lake root " + root + " is not abfss://<file system>@<account>.dfs.core.windows.net/<path>");
        }
        String account = host.substring(0, host.indexOf('.'));
        StorageCalls calls = new StorageCalls();
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().addPolicy(new CallCounting(calls))
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 6, Duration.ofSeconds(60),
                        Duration.ofMillis(200), Duration.ofSeconds(10), null));
        if (connectionString.isPresent()) {
            builder.connectionString(connectionString.get());
        } else {
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        builder.endpoint(blobEndpoint.orElse("https://" + account + ".blob.core.windows.net"));
        BlobContainerClient container = builder.buildClient().getBlobContainerClient(fileSystem);
        try {
            container.createIfNotExists(); // the Bicep creates it; a local or test account may not have it
        } catch (BlobStorageException e) {
            if (e.getStatusCode() != 403) { // no right to create it: it must exist, the first read will tell
                throw new LakeException(root, "cannot reach file system " + fileSystem + " of account " + account
                        + ": HTTP " + e.getStatusCode() + " " + e.getErrorCode(), e);
            }
        }
        AzureBlobFileIO io = new AzureBlobFileIO(container, fileSystem + "@" + host, Lake.parquetConf());
        return new Lake(io, io.resolvePath(uri.getPath() == null ? "" : uri.getPath()), calls);
    }
}
