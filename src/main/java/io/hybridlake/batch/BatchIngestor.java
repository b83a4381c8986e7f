package io.hybridlake.batch;

import io.hybridlake.HybridlakeException;
import io.hybridlake.lake.CommitLineage;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.RecordImporter;
import io.hybridlake.stream.SourceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Imports files (Data Factory's role in the seed): CSV or NDJSON, of any size, a chunk of records at a
 * time, through the pipeline's rules into raw/batch, refined/batch and _rejected. A file's identity is
 * its SHA-256: the file is a source {@code file:<sha256>} whose offsets are record numbers, so
 * importing the same content twice is a no-op and an interrupted import resumes after its last chunk.
 */
public final class BatchIngestor {
    static final int CHUNK_RECORDS = 50_000;

    private final PipelineCatalog catalog;
    private final RecordImporter importer;
    private final LongSupplier clock;
    private final Map<String, ImportStatus> imports = new ConcurrentHashMap<>();

    /** What an import did; {@code alreadyImported} when every record had been committed before. */
    public record Result(String table, String file, String source, long records, long refined, long filtered,
            long rejected, boolean alreadyImported) {
    }

    /** Progress of an import, for long ones: records done so far. */
    public record ImportStatus(String table, String file, String source, String state, long recordsDone,
            long startedAtMillis, String error) {
    }

    public BatchIngestor(PipelineCatalog catalog, RecordImporter importer, LongSupplier clockMillis) {
        this.catalog = catalog;
        this.importer = importer;
        this.clock = clockMillis;
    }

    public Result importFile(String table, String fileName, Path file) {
        PipelineSpec spec = catalog.table(table);
        FileFormat format = FileFormat.of(fileName);
        String source = "file:" + sha256(file, fileName);
        boolean already = importer.lastCompleted(spec, source) >= 0;
        long started = clock.getAsLong();
        ImportTotals totals = new ImportTotals();
        imports.put(source, new ImportStatus(table, fileName, source, "running", 0, started, null));
        try (FileRecords in = new FileRecords(file, fileName, format, started)) {
            for (List<SourceRecord> chunk = in.nextChunk(CHUNK_RECORDS); !chunk.isEmpty();
                    chunk = in.nextChunk(CHUNK_RECORDS)) {
                EventBatch batch = new EventBatch(source, 0, chunk);
                totals.add(CommitLineage.during(Map.of(CommitLineage.FILE, fileName),
                        () -> importer.importBatch(spec, batch)));
                imports.put(source, new ImportStatus(table, fileName, source, "running", totals.records, started, null));
            }
        } catch (RuntimeException e) {
            imports.put(source, new ImportStatus(table, fileName, source, "failed", totals.records, started,
                    e.getMessage()));
            throw e;
        }
        imports.put(source, new ImportStatus(table, fileName, source, "done", totals.records, started, null));
        return totals.result(table, fileName, source, already);
    }

    /**
     * Every import, by source: those of this process with their progress, and those the lake records
     * (the newest raw/batch commits of each pipeline, so they survive a restart) as {@code committed},
     * with the records committed so far.
     */
    public Map<String, ImportStatus> imports() {
        Map<String, ImportStatus> all = new TreeMap<>();
        for (PipelineSpec spec : catalog.all()) {
            for (var commit : importer.importCommits(spec, 200)) {
                String file = commit.parameters().get(CommitLineage.FILE);
                String offsets = commit.parameters().get(CommitLineage.SOURCE);
                if (offsets == null || offsets.indexOf('[') < 0) {
                    continue;
                }
                String source = offsets.substring(0, offsets.indexOf('['));
                long done = Long.parseLong(offsets.substring(offsets.lastIndexOf('-') + 1)) + 1;
                all.merge(source, new ImportStatus(spec.table(), file, source, "committed", done, commit.timestampMillis(),
                        null), (a, b) -> a.recordsDone() >= b.recordsDone() ? a : b);
            }
        }
        all.putAll(imports);
        return all;
    }

    private static String sha256(Path file, String fileName) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new HybridlakeException(fileName, "cannot read file " + fileName + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
