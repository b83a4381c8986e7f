package io.hybridlake.lake;

import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.DefaultParquetHandler;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.internal.parquet.ParquetFileWriter;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.ExpressionHandler;
import io.delta.kernel.engine.FileSystemClient;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.MetricsReporter;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.internal.util.Utils;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Kernel's default engine with two changes. Commits carry {@link CommitLineage} (see
 * {@link LineageJsonHandler}). And each {@code writeParquetFiles} call writes a single file.
 * The default writer asks Parquet for its buffered size after every row to roll files at 128 MB, and
 * that walks every column's writer: 45% of a MERGE's CPU (measured). Hybridlake bounds a call's rows
 * itself (one poll, one merge's rewrite per partition), so rolling is not needed. Flat tables are written
 * by {@link ParquetDataWriter}; others by kernel-defaults' internal {@code ParquetFileWriter.singleFileWriter}
 * (pinned to 4.4.0, in this package only).
 */
final class LakeEngine implements Engine {
    private final Engine delegate;
    private final ParquetHandler parquet;
    private final JsonHandler json;

    LakeEngine(FileIO io) {
        this.delegate = DefaultEngine.create(io);
        this.parquet = new SingleFileParquetHandler(io);
        this.json = new LineageJsonHandler(delegate.getJsonHandler());
    }

    @Override
    public ExpressionHandler getExpressionHandler() {
        return delegate.getExpressionHandler();
    }

    @Override
    public JsonHandler getJsonHandler() {
        return json;
    }

    @Override
    public FileSystemClient getFileSystemClient() {
        return delegate.getFileSystemClient();
    }

    @Override
    public ParquetHandler getParquetHandler() {
        return parquet;
    }

    @Override
    public List<MetricsReporter> getMetricsReporters() {
        return delegate.getMetricsReporters();
    }

    private static final class SingleFileParquetHandler extends DefaultParquetHandler {
        private final FileIO io;

        SingleFileParquetHandler(FileIO io) {
            super(io);
            this.io = io;
        }

        /**
         * Checkpoints. Kernel's writer closes the file in a finally, writing a valid footer even when
         * reading the log failed half-way: published under its final name, such a file is a checkpoint
         * without (say) the protocol, and every later snapshot load fails. So the file is written under
         * a hidden temporary name and copied into place only when the whole checkpoint was written.
         */
        @Override
        public void writeParquetFileAtomically(String filePath, CloseableIterator<FilteredColumnarBatch> data)
                throws IOException {
            int slash = filePath.lastIndexOf('/');
            String temp = filePath.substring(0, slash + 1) + "." + UUID.randomUUID() + ".checkpoint.tmp";
            try {
                super.writeParquetFileAtomically(temp, data);
                io.copyFileAtomically(temp, filePath, false);
            } finally {
                deleteQuietly(temp);
            }
        }

        /** A temporary file left behind is hidden from Kernel; the error that matters is the write's. */
        private void deleteQuietly(String path) {
            try {
                io.delete(path);
            } catch (IOException e) {
                // keep the original outcome
            }
        }

        /** One file: flat tables through {@link ParquetDataWriter}, others (another engine's types) through Kernel's writer. */
        @Override
        public CloseableIterator<DataFileStatus> writeParquetFiles(String directory,
                CloseableIterator<FilteredColumnarBatch> data, List<Column> statsColumns) throws IOException {
            String file = (directory.endsWith("/") ? directory : directory + "/") + UUID.randomUUID() + ".parquet";
            if (!data.hasNext()) {
                data.close();
                return Utils.toCloseableIterator(Collections.emptyIterator());
            }
            FilteredColumnarBatch first = data.next();
            CloseableIterator<FilteredColumnarBatch> all = Utils.singletonCloseableIterator(first).combine(data);
            if (!ParquetDataWriter.supports(first.getData().getSchema())) {
                return ParquetFileWriter.singleFileWriter(io, file, false, statsColumns).write(all);
            }
            try (all) {
                DataFileStatus written = ParquetDataWriter.write(io, file, first.getData().getSchema(), all, statsColumns);
                return Utils.singletonCloseableIterator(written);
            }
        }
    }
}
