package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridlake.lake.Lake;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The list of imports comes from the lake too: a new process (after a restart) still shows what was imported. */
class ImportsAreListedAfterARestartTest {
    @TempDir
    Path dir;

    @Test
    void aNewProcessListsTheImportsTheLakeRecords() throws Exception {
        Path csv = Files.writeString(dir.resolve("march.csv"), "transaction_id,customer_id,amount,status,transaction_date\n"
                + IntStream.range(0, 120).mapToObj(i -> "t" + i + ",c1," + i + ".5,completed,2026-03-01T10:00:00Z")
                .collect(Collectors.joining("\n")) + "\n");
        PipelineCatalog catalog = new PipelineCatalog(List.of(Fixtures.builtin("transactions")), "hybridlake.");
        String source;
        try (Lake lake = Lake.local(dir.resolve("lake"))) {
            BatchIngestor first = new BatchIngestor(catalog, new RecordImporter(lake, catalog, System::currentTimeMillis,
                    1 << 20), System::currentTimeMillis);
            source = first.importFile("transactions", "march.csv", csv).source();
        }
        try (Lake lake = Lake.local(dir.resolve("lake"))) {
            BatchIngestor restarted = new BatchIngestor(catalog, new RecordImporter(lake, catalog,
                    System::currentTimeMillis, 1 << 20), System::currentTimeMillis);
            assertThat(restarted.imports()).containsKey(source);
            BatchIngestor.ImportStatus status = restarted.imports().get(source);
            assertThat(status.file()).isEqualTo("march.csv");
            assertThat(status.table()).isEqualTo("transactions");
            assertThat(status.state()).isEqualTo("committed");
            assertThat(status.recordsDone()).isEqualTo(120);
        }
    }
}
