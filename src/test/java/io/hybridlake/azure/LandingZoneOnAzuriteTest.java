package io.hybridlake.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.hybridlake.batch.BatchIngestor;
import io.hybridlake.batch.LandingZone;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import io.hybridlake.lake.azure.AzureLake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The landing zone lives on the lake's storage: a file dropped into {@code landing/<table>/} of a lake
 * on Blob storage (Azurite; ADLS Gen2 serves the same API) is imported by a scan and moved to
 * {@code _imported/}; a second scan finds nothing; an upload in progress ('.' name) is left alone.
 */
class LandingZoneOnAzuriteTest {
    @TempDir
    Path dir;

    @Test
    void aFileDroppedOnBlobStorageIsImportedAndMovedAside() throws Exception {
        assertThat(Azurite.installed()).as("Azurite is installed by the build (emulators/install.sh): install Node.js "
                + "20+ and npm").isTrue();
        Azurite azurite = Azurite.shared();
        String fileSystem = "landing-" + UUID.randomUUID().toString().substring(0, 8);
        try (Lake lake = AzureLake.open(Azurite.root(fileSystem), Optional.of(azurite.connectionString()),
                Optional.of(azurite.blobEndpoint()))) {
            BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                    .buildClient().getBlobContainerClient(fileSystem);
            String csv = "transaction_id,customer_id,amount,status,transaction_date\n" + IntStream.range(0, 50)
                    .mapToObj(i -> "t" + i + ",c1," + i + ".5,completed,2026-03-01T10:00:00Z").collect(Collectors.joining("\n"))
                    + "\n";
            container.getBlobClient("landing/transactions/march.csv").upload(BinaryData.fromString(csv));
            container.getBlobClient("landing/transactions/.april.csv.uploading").upload(BinaryData.fromString(csv));

            PipelineCatalog catalog = new PipelineCatalog(List.of(Fixtures.builtin("transactions")), "hybridlake.");
            BatchIngestor ingestor = new BatchIngestor(catalog, new RecordImporter(lake, catalog, System::currentTimeMillis,
                    1 << 20), System::currentTimeMillis);
            LandingZone landing = new LandingZone(lake.landing(), dir.resolve("staging"), ingestor);
            List<LandingZone.Outcome> first = landing.scan(catalog.table("transactions"));
            assertThat(first).hasSize(1);
            assertThat(first.get(0).error()).isNull();
            assertThat(first.get(0).result().records()).isEqualTo(50);
            assertThat(Fixtures.rows(lake, TablePath.refinedBatch("transactions"))).hasSize(50);
            assertThat(container.getBlobClient("landing/transactions/march.csv").exists()).isFalse();
            assertThat(container.getBlobClient("landing/transactions/_imported/march.csv").exists()).isTrue();
            assertThat(container.getBlobClient("landing/transactions/.april.csv.uploading").exists()).isTrue();
            assertThat(landing.scan(catalog.table("transactions"))).isEmpty();
            assertThat(dir.resolve("staging").toFile().list()).isEmpty(); // the staged copy is gone
        }
    }
}
