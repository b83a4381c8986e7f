package io.hybridlake.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.RequiredComponent;
import io.hybridlake.lake.azure.AdlsZones;
import io.hybridlake.lake.azure.AzureLake;
import io.hybridlake.lake.Lake;
import io.hybridlake.lake.TablePath;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The DFS-only calls ({@link AdlsZones}). Creating the file system is served by Azurite too and runs
 * always; the zone directories need a real ADLS Gen2 account, so that part runs when
 * {@code HYBRIDLAKE_TEST_ADLS_CONNECTION_STRING} names one (a connection string of an account with
 * hierarchical namespace) and is skipped, saying so, otherwise.
 */
class AdlsZonesTest {
    @Test
    void theFileSystemIsCreatedOnceOnAzurite() throws Exception {
        RequiredComponent.require(Azurite.installed(), "Azurite: the build installs it with npm (emulators/install.sh); install Node.js 20+ and npm");
        Azurite azurite = Azurite.shared();
        String root = Azurite.root("zones-" + UUID.randomUUID().toString().substring(0, 8));
        Optional<String> dfs = Optional.of(azurite.blobEndpoint()); // Azurite routes file-system calls to Blob
        assertThat(AdlsZones.createFileSystem(root, Optional.of(azurite.connectionString()), dfs)).isTrue();
        assertThat(AdlsZones.createFileSystem(root, Optional.of(azurite.connectionString()), dfs)).isFalse();
    }

    @Test
    void zoneDirectoriesOnARealAccount() {
        String connection = System.getenv("HYBRIDLAKE_TEST_ADLS_CONNECTION_STRING");
        Assumptions.assumeTrue(connection != null && !connection.isBlank(),
                "no real ADLS Gen2 account configured (HYBRIDLAKE_TEST_ADLS_CONNECTION_STRING): directory "
                        + "operations are DFS-only and Azurite does not serve them");
        String account = connection.replaceAll(".*AccountName=([^;]+).*", "$1");
        String fs = "hybridlake-test-" + UUID.randomUUID().toString().substring(0, 8);
        String root = "abfss://" + fs + "@" + account + ".dfs.core.windows.net/lake";
        AdlsZones.createFileSystem(root, Optional.of(connection), Optional.empty());
        assertThat(AdlsZones.createZones(root, Optional.of(connection), Optional.empty()))
                .containsExactly("lake/raw", "lake/refined", "lake/curated", "lake/_rejected", "lake/_late");
        assertThat(AdlsZones.createZones(root, Optional.of(connection), Optional.empty())).isEmpty();
        try (Lake lake = AzureLake.open(root, Optional.of(connection), Optional.empty())) {
            lake.checkWritable();
            assertThat(lake.table(TablePath.rawStream("nothing")).latestVersion()).isEqualTo(-1);
        }
    }
}
