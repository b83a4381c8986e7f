package io.hybridlake.batch;

import io.hybridlake.HybridlakeException;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The landing zone {@code <lake>/landing/<table>/}: files dropped there are imported on each scan and
 * then moved to {@code _imported/} beside them (a file that fails stays, and is retried next scan).
 * A scan that dies between the import and the move re-imports the file, which is a no-op by file
 * identity. Names starting with '.' or '_' are skipped (uploads in progress, our own folders).
 */
public final class LandingZone {
    private final Path root;
    private final PipelineCatalog catalog;
    private final BatchIngestor ingestor;

    /** One file's outcome: its import result, or the error that kept it in the landing zone. */
    public record Outcome(String table, String file, BatchIngestor.Result result, String error) {
    }

    public LandingZone(Path root, PipelineCatalog catalog, BatchIngestor ingestor) {
        this.root = root;
        this.catalog = catalog;
        this.ingestor = ingestor;
    }

    public Path directory(String table) {
        return root.resolve(table);
    }

    public List<Outcome> scan() {
        List<Outcome> out = new ArrayList<>();
        for (PipelineSpec spec : catalog.all()) {
            Path dir = directory(spec.table());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (Path file : files(dir)) {
                String name = file.getFileName().toString();
                try {
                    BatchIngestor.Result r = ingestor.importFile(spec.table(), name, file);
                    Path done = dir.resolve("_imported");
                    Files.createDirectories(done);
                    Files.move(file, done.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    out.add(new Outcome(spec.table(), name, r, null));
                } catch (IOException | RuntimeException e) {
                    out.add(new Outcome(spec.table(), name, null, e.getMessage()));
                }
            }
        }
        return out;
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return !n.startsWith(".") && !n.startsWith("_");
            }).sorted().toList();
        } catch (IOException e) {
            throw new HybridlakeException(dir.toString(), "cannot list the landing zone " + dir + ": " + e.getMessage(), e);
        }
    }
}
