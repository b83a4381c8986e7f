package io.hybridlake.lake;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.hybridlake.HybridlakeException;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel's scan files (one per data file of a snapshot) and the rows in them: what every reader of a
 * table ({@link TableReader}, {@link TableFiles}, {@link FileReads}, {@link TableLog}) builds on.
 */
final class ScanFiles {
    private static final Pattern NUM_RECORDS = Pattern.compile("\"numRecords\"\\s*:\\s*(\\d+)");

    private ScanFiles() {
    }

    /** The table at {@code version}, or its latest version; a table nothing was written to is not found. */
    static Snapshot snapshot(LakeTable table, OptionalLong version) {
        if (version.isPresent()) {
            return table.snapshot(version.getAsLong());
        }
        return table.latest().orElseThrow(() -> new HybridlakeException.NotFound(table.name(),
                "table " + table.name() + " does not exist yet (nothing has been written to it)"));
    }

    static void forEachScanFile(LakeTable table, Snapshot snapshot, Consumer<Row> action) {
        forEachScanFile(table, snapshot, snapshot.getScanBuilder().build(), false, action);
    }

    /** Calls {@code action} with each scan file (one per data file) of {@code scan}, with statistics if asked. */
    static void forEachScanFile(LakeTable table, Snapshot snapshot, Scan scan, boolean withStats, Consumer<Row> action) {
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(table.engine(), withStats)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> files = scanFiles.next().getRows()) {
                    while (files.hasNext()) {
                        action.accept(files.next());
                    }
                }
            }
        } catch (IOException e) {
            throw new LakeException(table.name(), "listing the files of table " + table.name() + " at version "
                    + snapshot.getVersion() + " failed: " + e.getMessage(), e);
        }
    }

    /** The path of a scan file as the log records it (what a remove action must name). */
    static String logPath(Row scanFile) {
        Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
        return add.getString(add.getSchema().indexOf("path"));
    }

    /** A file's partition values (a null value is a null partition, which Map.copyOf would refuse). */
    static Map<String, String> partitionValues(Row scanFile) {
        return Collections.unmodifiableMap(new HashMap<>(InternalScanFileUtils.getPartitionValues(scanFile)));
    }

    /** Log paths are URI-encoded (e.g. partition values with ':'); file systems are not. */
    static String decodePath(String logPath) {
        try {
            return URI.create(logPath).getPath();
        } catch (IllegalArgumentException e) {
            return logPath;
        }
    }

    /** A scan file's {@code numRecords} statistic (scanned with statistics); -1 if it has none. */
    static long recordCount(Row scanFile) {
        Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
        int statsOrdinal = add.getSchema().indexOf("stats");
        if (statsOrdinal < 0 || add.isNullAt(statsOrdinal)) {
            return -1;
        }
        Matcher m = NUM_RECORDS.matcher(add.getString(statsOrdinal));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Reads the rows of the files {@code only} (all if null) of {@code snapshot}; returns the schema read. */
    static TableSchema scan(LakeTable table, Snapshot snapshot, Set<String> only, BiConsumer<String, Object[]> sink) {
        ScanSetup setup = new ScanSetup(table, snapshot);
        forEachScanFile(table, snapshot, setup.scan(), false, scanFile -> {
            String path = logPath(scanFile);
            if (only == null || only.contains(path)) {
                try {
                    setup.read(scanFile, row -> sink.accept(path, row));
                } catch (IOException e) {
                    throw new LakeException(table.name(), "reading file " + path + " of table " + table.name()
                            + " failed: " + e.getMessage(), e);
                }
            }
        });
        return setup.schema();
    }

    /** What reading a snapshot's files needs, prepared once per scan. */
    record ScanSetup(LakeTable table, Snapshot snapshot, TableSchema schema, Scan scan, Row state,
            StructType physical) {
        ScanSetup(LakeTable table, Snapshot snapshot) {
            this(table, snapshot, snapshot.getScanBuilder().build());
        }

        private ScanSetup(LakeTable table, Snapshot snapshot, Scan scan) {
            this(table, snapshot, scan, scan.getScanState(table.engine()));
        }

        private ScanSetup(LakeTable table, Snapshot snapshot, Scan scan, Row state) {
            this(table, snapshot, KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(),
                    table.name()), scan, state, ScanStateRow.getPhysicalDataReadSchema(state));
        }

        void read(Row scanFile, Consumer<Object[]> sink) throws IOException {
            readFile(table.engine(), state, physical, scanFile, schema, sink);
        }
    }

    static void readFile(Engine engine, Row state, StructType physical, Row scanFile, TableSchema schema,
            Consumer<Object[]> sink) throws IOException {
        int n = schema.size();
        forEachLiveRow(engine, state, physical, scanFile, (cols, r) -> {
            Object[] row = new Object[n];
            for (int c = 0; c < n; c++) {
                row[c] = KernelSchemas.value(cols.getColumnVector(c), schema.column(c).type(), r);
            }
            sink.accept(row);
        });
    }

    /**
     * Calls {@code row} with the logical batch and row number of every row of one file that its
     * deletion vector (applied by Kernel as a selection vector) does not mark deleted.
     */
    static void forEachLiveRow(Engine engine, Row state, StructType physical, Row scanFile,
            ObjIntConsumer<ColumnarBatch> row) throws IOException {
        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                .readParquetFiles(KernelIterators.of(List.of(file)), physical, Optional.empty())
                .map(FileReadResult::getData);
        try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, state, scanFile, data)) {
            while (logical.hasNext()) {
                FilteredColumnarBatch batch = logical.next();
                ColumnarBatch cols = batch.getData();
                Optional<ColumnVector> selection = batch.getSelectionVector();
                for (int r = 0; r < cols.getSize(); r++) {
                    if (selection.isEmpty() || selection.get().getBoolean(r)) {
                        row.accept(cols, r);
                    }
                }
            }
        }
    }
}
