package io.hybridlake.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.batch.Merger;
import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.Fixtures;
import io.hybridlake.stream.RecordImporter;
import io.hybridlake.stream.SourceRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge-on-read MERGE whose process dies after it wrote its deletion-vector file and before its
 * commit (the commit's log write fails as a killed process's would): nothing of it is visible — same
 * version, same rows, the vector file referenced by no version —, a restarted merge applies every
 * update exactly once, and vacuum deletes the orphaned vector file and nothing else.
 */
class VectorFileWithoutCommitTest {
    private static final int ROWS = 2_000;

    @TempDir
    Path dir;

    @Test
    void aVectorFileWithoutItsCommitIsInvisibleAndTheMergeIsRedone() throws IOException {
        LocalFileIO local = new LocalFileIO(Lake.PARQUET_CONF);
        FaultyFileIO storage = new FaultyFileIO(local, 7L, 0);
        Path lakeDir = dir.resolve("lake");
        PipelineSpec spec = Fixtures.builtin("transactions");
        TablePath merged = TablePath.merged("transactions");
        Path mergedDir = lakeDir.resolve(merged.relative());
        Map<String, Double> before = new HashMap<>();
        Map<String, Double> after = new HashMap<>();
        long versionBefore;
        try (Lake lake = new Lake(storage, local.resolvePath(lakeDir.toString()))) {
            RecordImporter importer = new RecordImporter(lake, new PipelineCatalog(List.of(spec), "hybridlake."),
                    System::currentTimeMillis, 1 << 20);
            Instant t = Instant.parse("2025-03-01T00:00:00Z");
            importer.importBatch(spec, batch("file:initial", 0, ROWS, 0, t, before));
            after.putAll(before);
            new Merger(lake, System::currentTimeMillis).merge(spec);
            importer.importBatch(spec, batch("file:updates", 0, ROWS, 1000, t.plusSeconds(3600), after));
            versionBefore = lake.table(merged).latestVersion();

            storage.dieBeforeWriting = path -> path.contains(merged.relative() + "/_delta_log/") && path.endsWith(".json");
            assertThatThrownBy(() -> new Merger(lake, System::currentTimeMillis).merge(spec))
                    .hasStackTraceContaining(FaultyFileIO.MARK);
            storage.dieBeforeWriting = path -> false;
        }
        Set<String> orphans = vectorFiles(mergedDir);
        assertThat(orphans).as("the vector file was written before the commit").isNotEmpty();

        try (Lake lake = Lake.local(lakeDir)) { // the restarted process
            LakeTable table = lake.table(merged);
            assertThat(table.latestVersion()).isEqualTo(versionBefore);
            assertThat(amounts(lake, merged)).isEqualTo(before);
            assertThat(new TableLog(table).deletionVectorFiles(0, versionBefore)).doesNotContainAnyElementsOf(orphans);

            Merger.Result redone = new Merger(lake, System::currentTimeMillis).merge(spec);
            assertThat(redone.updated()).isEqualTo(ROWS / 2);
            assertThat(amounts(lake, merged)).isEqualTo(after);

            lake.vacuum(merged, 0, System.currentTimeMillis() + 1);
            assertThat(vectorFiles(mergedDir)).as("only the vectors the latest version uses are left")
                    .isEqualTo(new TableLog(table).deletionVectorFiles(table.latestVersion(), table.latestVersion()))
                    .doesNotContainAnyElementsOf(orphans);
            assertThat(amounts(lake, merged)).isEqualTo(after);
        }
    }

    /** Transactions {@code from..to}; with {@code bump > 0}, every second one again, later and with a new amount. */
    private static EventBatch batch(String source, int from, int to, double bump, Instant at, Map<String, Double> expect) {
        List<SourceRecord> records = new ArrayList<>();
        for (int i = from; i < to; i += bump > 0 ? 2 : 1) {
            double amount = i + 0.5 + bump;
            records.add(Fixtures.record(records.size(), Fixtures.transaction(i, "c" + i % 13, amount, "completed",
                    at.plusSeconds(i).toString())));
            expect.put("t-" + i, amount);
        }
        return new EventBatch(source, 0, records);
    }

    private static Map<String, Double> amounts(Lake lake, TablePath table) {
        Map<String, Double> out = new HashMap<>();
        for (Object[] r : Fixtures.rows(lake, table)) {
            assertThat(out.put((String) r[0], (Double) r[2])).as("one row for %s", r[0]).isNull();
        }
        return out;
    }

    private static Set<String> vectorFiles(Path table) throws IOException {
        try (Stream<Path> files = Files.walk(table)) {
            return files.filter(p -> p.getFileName().toString().startsWith("deletion_vector_"))
                    .map(p -> table.relativize(p).toString()).collect(Collectors.toSet());
        }
    }
}
