package io.hybridlake.lake;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.Row;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A table version's rows read file by file in parallel (one file per core at a time, a bounded window
 * in memory): whole rows for a MERGE's sources and touched files, or chosen columns with each row's
 * position for a merge-on-read key index.
 */
public final class FileReads {
    /** Readers of files for {@link #rowsIn} and {@link #positionedRows}, one per core; callers are never pool threads. */
    private static final ExecutorService READERS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "lake-parquet-reader");
                t.setDaemon(true);
                return t;
            });

    private final LakeTable table;

    public FileReads(LakeTable table) {
        this.table = table;
    }

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
        ScanFiles.ScanSetup setup = new ScanFiles.ScanSetup(table, table.snapshot(version));
        inWindows(setup.snapshot(), setup.scan(), paths, scanFile -> () -> {
            List<Object[]> rows = new ArrayList<>();
            setup.read(scanFile, rows::add);
            return new FileRows(ScanFiles.logPath(scanFile), rows);
        }, sink);
    }

    /**
     * Reads the scan files of {@code paths} (all if null) on the reader pool, a window of two files
     * per core at a time, and hands each result to {@code sink} in order.
     */
    private <T> void inWindows(Snapshot snapshot, Scan scan, Set<String> paths, Function<Row, Callable<T>> read,
            Consumer<T> sink) {
        List<Row> chosen = new ArrayList<>();
        ScanFiles.forEachScanFile(table, snapshot, scan, false, scanFile -> {
            if (paths == null || paths.contains(ScanFiles.logPath(scanFile))) {
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
        ScanFiles.forEachLiveRow(table.engine(), state, physical, scanFile, (cols, r) -> {
            Object[] row = new Object[types.length];
            for (int c = 0; c < types.length; c++) {
                row[c] = KernelSchemas.value(cols.getColumnVector(c), types[c], r);
            }
            rows.add(row);
            positions.add(Math.toIntExact(cols.getColumnVector(types.length).getLong(r))); // the row index column
        });
        return new PositionedRows(ScanFiles.logPath(scanFile), positions.build().toArray(), rows);
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
}
