package io.hybridlake.lake;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.hybridlake.HybridlakeException;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Reads a table's rows and its description at the latest or a given version (time travel). Its files:
 * {@link TableFiles}; changes between versions: {@link TableLog}; parallel reads: {@link FileReads}.
 */
public final class TableReader {
    private final LakeTable table;

    public TableReader(LakeTable table) {
        this.table = table;
    }

    private Snapshot snapshot(OptionalLong version) {
        return ScanFiles.snapshot(table, version);
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

    private long numRecords(Row scanFile) {
        long n = ScanFiles.recordCount(scanFile);
        if (n < 0) {
            throw new LakeException(table.name(), "a data file of table " + table.name()
                    + " has no numRecords statistic; its row count is unknown");
        }
        return n;
    }

    /** Calls {@code sink} with every row (values as in {@link RowBatch#get}), in no particular order. */
    public TableSchema forEachRow(OptionalLong version, Consumer<Object[]> sink) {
        return ScanFiles.scan(table, snapshot(version), null, (path, row) -> sink.accept(row));
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
            ScanFiles.scan(table, snapshot, null, (path, row) -> {
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

    /** Rows of the files {@code paths} (log paths) at {@code version}, each with its file's path. */
    public TableSchema forEachRowIn(long version, Set<String> paths, BiConsumer<String, Object[]> sink) {
        return ScanFiles.scan(table, table.snapshot(version), paths, sink);
    }
}
