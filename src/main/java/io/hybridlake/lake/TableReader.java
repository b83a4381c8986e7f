package io.hybridlake.lake;

import io.delta.kernel.CommitRangeBuilder;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.DeltaLogActionUtils;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.hybridlake.HybridlakeException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/** Reads a table's rows and its description at the latest or a given version (time travel). */
public final class TableReader {
    private static final Pattern NUM_RECORDS = Pattern.compile("\"numRecords\"\\s*:\\s*(\\d+)");

    private final LakeTable table;

    public TableReader(LakeTable table) {
        this.table = table;
    }

    private Snapshot snapshot(OptionalLong version) {
        if (version.isPresent()) {
            return table.snapshot(version.getAsLong());
        }
        return table.latest().orElseThrow(() -> new HybridlakeException.NotFound(table.name(),
                "table " + table.name() + " does not exist yet (nothing has been written to it)"));
    }

    /** Version, file and live row counts from the log's add actions, their statistics and deletion vectors. */
    public TableInfo info(OptionalLong version) {
        Snapshot snapshot = snapshot(version);
        Engine engine = table.engine();
        long files = 0;
        long rows = 0;
        long bytes = 0;
        Scan scan = snapshot.getScanBuilder().build();
        try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine, true)) {
            while (scanFiles.hasNext()) {
                try (CloseableIterator<Row> it = scanFiles.next().getRows()) {
                    while (it.hasNext()) {
                        Row scanFile = it.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
                        files++;
                        bytes += status.getSize();
                        rows += numRecords(scanFile);
                        // rows a deletion vector (ours or another engine's) marks as deleted are not rows
                        var dv = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile);
                        if (dv != null) {
                            rows -= dv.getCardinality();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new LakeException(table.name(), "cannot list the files of table " + table.name() + ": " + e.getMessage(), e);
        }
        TableSchema schema = KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(), table.name());
        return new TableInfo(table.name(), snapshot.getVersion(), snapshot.getTimestamp(engine), files, rows, bytes,
                schema.columns(), schema.partitionColumns());
    }

    /** A scan file's {@code numRecords} statistic (scanned with statistics); -1 if it has none. */
    private static long recordCount(Row scanFile) {
        Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
        int statsOrdinal = add.getSchema().indexOf("stats");
        if (statsOrdinal < 0 || add.isNullAt(statsOrdinal)) {
            return -1;
        }
        Matcher m = NUM_RECORDS.matcher(add.getString(statsOrdinal));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private long numRecords(Row scanFile) {
        long n = recordCount(scanFile);
        if (n < 0) {
            throw new LakeException(table.name(), "a data file of table " + table.name()
                    + " has no numRecords statistic; its row count is unknown");
        }
        return n;
    }

    /** Calls {@code sink} with every row (values as in {@link RowBatch#get}), in no particular order. */
    public TableSchema forEachRow(OptionalLong version, Consumer<Object[]> sink) {
        return scan(snapshot(version), null, (path, row) -> sink.accept(row));
    }

    /**
     * Up to {@code limit} rows as column name → value maps (timestamps and dates ISO-8601, binary as
     * Base64), for the API; time travel through {@code version}.
     */
    public List<Map<String, Object>> rows(OptionalLong version, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        TableSchema[] schema = new TableSchema[1];
        Snapshot snapshot = snapshot(version);
        schema[0] = KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(), table.name());
        try {
            scan(snapshot, null, (path, row) -> {
                if (out.size() >= limit) {
                    throw new EnoughRows();
                }
                Map<String, Object> m = new LinkedHashMap<>();
                for (int c = 0; c < row.length; c++) {
                    m.put(schema[0].column(c).name(), display(schema[0].column(c).type(), row[c]));
                }
                out.add(m);
            });
        } catch (EnoughRows e) {
            // the limit was reached
        }
        return out;
    }

    /** Stops a scan early. */
    private static final class EnoughRows extends RuntimeException {
        EnoughRows() {
            super(null, null, false, false);
        }
    }

    private static Object display(ColumnType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case TIMESTAMP -> Instant.EPOCH.plusNanos((Long) v * 1000).toString();
            case DATE -> LocalDate.ofEpochDay((Integer) v).toString();
            case BINARY -> Base64.getEncoder().encodeToString((byte[]) v);
            default -> v;
        };
    }

    /** The data files of the table at {@code version}, with sizes, partition values and deletion vectors. */
    public List<DataFile> files(long version) {
        List<DataFile> out = new ArrayList<>();
        Snapshot snapshot = table.snapshot(version);
        forEachScanFile(snapshot, snapshot.getScanBuilder().build(), true, scanFile -> {
            DeletionVectorDescriptor dv = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile);
            out.add(new DataFile(logPath(scanFile), InternalScanFileUtils.getAddFileStatus(scanFile).getSize(),
                    partitionValues(scanFile), recordCount(scanFile), dv == null ? null : dv.getUniqueId(),
                    dv == null ? 0 : dv.getCardinality()));
        });
        return out;
    }

    /** As below, for a lake on the local filesystem. */
    public SnapshotFiles snapshotFiles(OptionalLong version) {
        return snapshotFiles(version, LocalFiles.onLocalDisk());
    }

    /**
     * The exact files of a version (the latest if absent) with their local paths from {@code local}
     * (the files themselves, or local copies of a remote lake's), for a reader that is not Kernel, and
     * the row positions each file's deletion vector (ours or another engine's) marks deleted, which
     * that reader must leave out.
     */
    public SnapshotFiles snapshotFiles(OptionalLong version, LocalFiles local) {
        Snapshot snapshot = snapshot(version);
        List<LocalFiles.LakeFile> lakeFiles = new ArrayList<>();
        List<Map<String, String>> partitions = new ArrayList<>();
        List<String> logPaths = new ArrayList<>();
        List<DeletionVectorDescriptor> vectors = new ArrayList<>();
        forEachScanFile(snapshot, scanFile -> {
            String path = logPath(scanFile);
            logPaths.add(path);
            vectors.add(InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile));
            lakeFiles.add(new LocalFiles.LakeFile(table.path() + "/" + decodePath(path),
                    InternalScanFileUtils.getAddFileStatus(scanFile).getSize()));
            partitions.add(partitionValues(scanFile));
        });
        List<long[]> deletions = table.lake().deletionVectors().positions(table, snapshot.getVersion(), logPaths, vectors);
        List<Path> paths = local.paths(table.name(), lakeFiles);
        List<SnapshotFiles.File> files = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            files.add(new SnapshotFiles.File(paths.get(i), partitions.get(i), deletions.get(i)));
        }
        TableSchema schema = KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(), table.name());
        return new SnapshotFiles(table.name(), snapshot.getVersion(), schema, SchemaEvolution.columnMapped(snapshot),
                List.copyOf(files));
    }

    /** A file's partition values (a null value is a null partition, which Map.copyOf would refuse). */
    private static Map<String, String> partitionValues(Row scanFile) {
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

    /**
     * Files committed as new data ({@code dataChange = true}) in versions after {@code afterVersion} up
     * to {@code toVersion} and still present at {@code toVersion}: what a consumer that read the table
     * at {@code afterVersion} has not seen. Files rewritten by compaction ({@code dataChange = false})
     * are not new data and are left out, nor are files it had that were re-added with a deletion vector.
     */
    public Set<String> dataFilesAddedAfter(long afterVersion, long toVersion) {
        if (afterVersion < 0) {
            return filePaths(toVersion);
        }
        Set<String> added = new HashSet<>();
        Set<String> withVector = new HashSet<>();
        forEachAddAfter(afterVersion, toVersion, (add, r) -> {
            StructType fields = (StructType) add.getDataType();
            if (add.getChild(fields.indexOf("dataChange")).getBoolean(r)) {
                String path = add.getChild(fields.indexOf("path")).getString(r);
                added.add(path);
                if (!add.getChild(fields.indexOf("deletionVector")).isNullAt(r)) {
                    withVector.add(path);
                }
            }
        });
        if (!withVector.isEmpty()) {
            // a file the consumer had, re-added with a deletion vector (rows deleted): no new rows in it
            withVector.retainAll(filePaths(afterVersion));
            added.removeAll(withVector);
        }
        added.retainAll(filePaths(toVersion));
        return added;
    }

    /** Paths of every file added (only those with {@code dataChange = true} if {@code dataOnly}) in (after, to]. */
    public Set<String> filesAddedAfter(long afterVersion, long toVersion, boolean dataOnly) {
        Set<String> added = new HashSet<>();
        forEachAddAfter(afterVersion, toVersion, (add, r) -> {
            StructType fields = (StructType) add.getDataType();
            if (!dataOnly || add.getChild(fields.indexOf("dataChange")).getBoolean(r)) {
                added.add(add.getChild(fields.indexOf("path")).getString(r));
            }
        });
        return added;
    }

    /**
     * The deletion-vector files (relative to the table root) that version {@code atVersion} uses or
     * that any add action in (atVersion, toVersion] names: what vacuum must keep.
     */
    public Set<String> deletionVectorFiles(long atVersion, long toVersion) {
        Set<String> files = new HashSet<>();
        forEachScanFile(table.snapshot(atVersion), scanFile -> {
            DeletionVectorDescriptor dv = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(scanFile);
            String file = dv == null ? null : DeletionVectors.relativeFile(dv);
            if (file != null) {
                files.add(file);
            }
        });
        forEachAddAfter(atVersion, toVersion, (add, r) -> {
            ColumnVector dvs = add.getChild(((StructType) add.getDataType()).indexOf("deletionVector"));
            if (!dvs.isNullAt(r)) {
                String file = DeletionVectors.relativeFile(DeletionVectorDescriptor.fromColumnVector(dvs, r));
                if (file != null) {
                    files.add(file);
                }
            }
        });
        return files;
    }

    /** Calls {@code action} with the add vector and row of every add action in versions (after, to]. */
    private void forEachAddAfter(long afterVersion, long toVersion, ObjIntConsumer<ColumnVector> action) {
        if (toVersion <= afterVersion) {
            return;
        }
        var range = TableManager.loadCommitRange(table.path(),
                CommitRangeBuilder.CommitBoundary.atVersion(afterVersion + 1))
                .withEndBoundary(CommitRangeBuilder.CommitBoundary.atVersion(toVersion))
                .build(table.engine());
        try (CloseableIterator<ColumnarBatch> actions = range.getActions(table.engine(),
                Set.of(DeltaLogActionUtils.DeltaAction.ADD))) {
            while (actions.hasNext()) {
                ColumnarBatch batch = actions.next();
                ColumnVector add = batch.getColumnVector(batch.getSchema().indexOf("add"));
                for (int r = 0; r < batch.getSize(); r++) {
                    if (!add.isNullAt(r)) {
                        action.accept(add, r);
                    }
                }
            }
        } catch (IOException e) {
            throw new LakeException(table.name(), "reading the log of table " + table.name() + " after version "
                    + afterVersion + " failed: " + e.getMessage(), e);
        }
    }

    /** The data files of the table at {@code version}, by their path in the log (relative to the table). */
    public Set<String> filePaths(long version) {
        Set<String> paths = new HashSet<>();
        forEachScanFile(table.snapshot(version), scanFile -> paths.add(logPath(scanFile)));
        return paths;
    }

    /** Rows of the files {@code paths} (log paths) at {@code version}, each with its file's path. */
    public TableSchema forEachRowIn(long version, Set<String> paths, BiConsumer<String, Object[]> sink) {
        return scan(table.snapshot(version), paths, sink);
    }

    /** Readers of whole files for {@link #rowsIn}, one per core; callers are never pool threads. */
    private static final ExecutorService READERS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "lake-parquet-reader");
                t.setDaemon(true);
                return t;
            });

    /** A file's rows, with the file's log path. */
    public record FileRows(String path, List<Object[]> rows) {
    }

    /**
     * The rows of the files {@code paths} at {@code version}, read in parallel (one file per core at a
     * time), grouped by file. For work that needs all of them at once anyway (a MERGE's touched files).
     */
    public List<FileRows> rowsIn(long version, Set<String> paths) {
        List<FileRows> out = new ArrayList<>();
        forEachFileRows(version, paths, out::add);
        return out;
    }

    /**
     * As {@link #rowsIn}, handing each file's rows on as it is read: a few files per core in memory at
     * a time, whatever the number of files (a MERGE's sources).
     */
    public void forEachFileRows(long version, Set<String> paths, Consumer<FileRows> sink) {
        ScanSetup setup = new ScanSetup(table, table.snapshot(version));
        inWindows(setup.snapshot(), setup.scan(), paths, scanFile -> () -> {
            List<Object[]> rows = new ArrayList<>();
            setup.read(scanFile, rows::add);
            return new FileRows(logPath(scanFile), rows);
        }, sink);
    }

    /**
     * Reads the scan files of {@code paths} (all if null) on the reader pool, a window of two files
     * per core at a time, and hands each result to {@code sink} in order.
     */
    private <T> void inWindows(Snapshot snapshot, Scan scan, Set<String> paths, Function<Row, Callable<T>> read,
            Consumer<T> sink) {
        List<Row> chosen = new ArrayList<>();
        forEachScanFile(snapshot, scan, scanFile -> {
            if (paths == null || paths.contains(logPath(scanFile))) {
                chosen.add(scanFile);
            }
        });
        int window = 2 * Math.max(1, Runtime.getRuntime().availableProcessors());
        for (int from = 0; from < chosen.size(); from += window) {
            List<Future<T>> reads = new ArrayList<>();
            for (Row scanFile : chosen.subList(from, Math.min(chosen.size(), from + window))) {
                reads.add(READERS.submit(read.apply(scanFile)));
            }
            await(reads).forEach(sink);
        }
    }

    /** Rows of one file with their row positions in it (deleted rows left out). */
    public record PositionedRows(String path, int[] positions, List<Object[]> rows) {
    }

    /**
     * The live rows of the files {@code paths} (all files if null) at {@code version}, only the
     * {@code columns} named, each with its position in its file: what a merge-on-read index needs —
     * the key columns, not whole rows. Read in parallel, one file per core.
     */
    public List<PositionedRows> positionedRows(long version, Set<String> paths, List<String> columns) {
        List<PositionedRows> out = new ArrayList<>();
        forEachPositioned(version, paths, columns, out::add);
        return out;
    }

    /**
     * As {@link #positionedRows}, handing each file's rows on as it is read: a few files per core in
     * memory at a time, whatever the table's size (a key index over 10M rows).
     */
    public void forEachPositioned(long version, Set<String> paths, List<String> columns, Consumer<PositionedRows> sink) {
        Snapshot snapshot = table.snapshot(version);
        TableSchema full = KernelSchemas.tableSchema(snapshot.getSchema(), snapshot.getPartitionColumnNames(), table.name());
        List<StructField> fields = new ArrayList<>();
        ColumnType[] types = new ColumnType[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            fields.add(snapshot.getSchema().get(columns.get(i)));
            types[i] = full.column(full.indexOf(columns.get(i))).type();
        }
        fields.add(StructField.DEFAULT_ROW_INDEX_COLUMN);
        Scan scan = snapshot.getScanBuilder().withReadSchema(new StructType(fields)).build();
        Row state = scan.getScanState(table.engine());
        StructType physical = ScanStateRow.getPhysicalDataReadSchema(state);
        inWindows(snapshot, scan, paths, scanFile -> () -> readPositioned(state, physical, scanFile, types), sink);
    }

    private PositionedRows readPositioned(Row state, StructType physical, Row scanFile, ColumnType[] types)
            throws IOException {
        List<Object[]> rows = new ArrayList<>();
        IntStream.Builder positions = IntStream.builder();
        forEachLiveRow(table.engine(), state, physical, scanFile, (cols, r) -> {
            Object[] row = new Object[types.length];
            for (int c = 0; c < types.length; c++) {
                row[c] = KernelSchemas.value(cols.getColumnVector(c), types[c], r);
            }
            rows.add(row);
            positions.add(Math.toIntExact(cols.getColumnVector(types.length).getLong(r))); // the row index column
        });
        return new PositionedRows(logPath(scanFile), positions.build().toArray(), rows);
    }

    private <T> List<T> await(List<Future<T>> reads) {
        List<T> out = new ArrayList<>(reads.size());
        for (var read : reads) {
            try {
                out.add(read.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LakeException(table.name(), "interrupted while reading table " + table.name(), e);
            } catch (ExecutionException e) {
                throw new LakeException(table.name(), "reading a file of table " + table.name() + " failed: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
        return out;
    }

    /** The path of a scan file as the log records it (what a remove action must name). */
    static String logPath(Row scanFile) {
        Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
        return add.getString(add.getSchema().indexOf("path"));
    }

    private TableSchema scan(Snapshot snapshot, Set<String> only, BiConsumer<String, Object[]> sink) {
        ScanSetup setup = new ScanSetup(table, snapshot);
        forEachScanFile(snapshot, setup.scan(), scanFile -> {
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
    private record ScanSetup(LakeTable table, Snapshot snapshot, TableSchema schema, Scan scan, Row state,
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

    private void forEachScanFile(Snapshot snapshot, Consumer<Row> action) {
        forEachScanFile(snapshot, snapshot.getScanBuilder().build(), action);
    }

    private void forEachScanFile(Snapshot snapshot, Scan scan, Consumer<Row> action) {
        forEachScanFile(snapshot, scan, false, action);
    }

    private void forEachScanFile(Snapshot snapshot, Scan scan, boolean withStats, Consumer<Row> action) {
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

    private static void readFile(Engine engine, Row state, StructType physical, Row scanFile, TableSchema schema,
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
    private static void forEachLiveRow(Engine engine, Row state, StructType physical, Row scanFile,
            ObjIntConsumer<ColumnarBatch> row) throws IOException {
        FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
        CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                .readParquetFiles(LakeTable.iterator(List.of(file)), physical, Optional.empty())
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
