package io.hybridlake.batch;

import io.hybridlake.lake.LandingFiles;
import io.hybridlake.pipeline.PipelineSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The landing zone {@code <lake>/landing/<table>/}, on the lake's storage wherever it is: files dropped
 * there are imported on each scan and then moved to {@code _imported/} beside them (a file that fails
 * stays, and is retried next scan). A scan that dies between the import and the move re-imports the
 * file, which is a no-op by file identity.
 */
public final class LandingZone {
    private final LandingFiles files;
    private final Path staging;
    private final BatchIngestor ingestor;

    /** One file's outcome: its import result, or the error that kept it in the landing zone. */
    public record Outcome(String table, String file, BatchIngestor.Result result, String error) {
    }

    public LandingZone(LandingFiles files, Path staging, BatchIngestor ingestor) {
        this.files = files;
        this.staging = staging;
        this.ingestor = ingestor;
    }

    /** Where files for {@code table} are dropped (a path of the lake's storage). */
    public String directory(String table) {
        return files.directory(table);
    }

    /** Imports every file waiting for {@code spec}'s table; one file's failure leaves it for the next scan. */
    public List<Outcome> scan(PipelineSpec spec) {
        List<Outcome> out = new ArrayList<>();
        for (LandingFiles.Landed file : files.list(spec.table())) {
            Path local = null;
            try {
                local = files.fetch(file, staging);
                BatchIngestor.Result r = ingestor.importFile(spec.table(), file.name(), local);
                files.markImported(file);
                out.add(new Outcome(spec.table(), file.name(), r, null));
            } catch (RuntimeException e) {
                out.add(new Outcome(spec.table(), file.name(), null, e.getMessage()));
            } finally {
                if (local != null) {
                    files.release(file, local);
                }
            }
        }
        return out;
    }
}
