package io.hybridlake.lake;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import java.io.IOException;

/** A lake file (through its storage adapter) as Parquet's output file, for {@link ParquetDataWriter}. */
final class ParquetOutput implements org.apache.parquet.io.OutputFile {
    private final OutputFile file;
    private PositionOutputStream stream;

    ParquetOutput(OutputFile file) {
        this.file = file;
    }

    @Override
    public org.apache.parquet.io.PositionOutputStream create(long blockSizeHint) throws IOException {
        return open(true);
    }

    @Override
    public org.apache.parquet.io.PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        return open(false);
    }

    private org.apache.parquet.io.PositionOutputStream open(boolean putIfAbsent) throws IOException {
        stream = file.create(putIfAbsent);
        return new org.apache.parquet.io.PositionOutputStream() {
            @Override
            public long getPos() throws IOException {
                return stream.getPos();
            }

            @Override
            public void write(int b) throws IOException {
                stream.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                stream.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                stream.flush();
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return file.path();
    }

    /**
     * After a failed write: closes the stream if it is still open and removes whatever it published, so
     * a half-written file is not left in the table's directory; the write's own error is what matters.
     */
    void deleteQuietly(FileIO io) {
        try {
            if (stream != null) {
                stream.close();
            }
        } catch (IOException | RuntimeException e) {
            // the partial file may not have been published at all
        }
        try {
            io.delete(file.path());
        } catch (IOException | RuntimeException e) {
            // left for vacuum: no commit references it
        }
    }
}
