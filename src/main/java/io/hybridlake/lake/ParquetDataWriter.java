package io.hybridlake.lake;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.util.ColumnMapping;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes data files of flat tables (the column types of {@link ColumnType}) straight through Parquet's
 * column writers, and computes the file's Delta statistics from the values as they are written.
 *
 * <p>Why not Kernel's writer: it goes through Parquet's record API one value at a time, builds Hadoop
 * {@code Configuration}s for the writer, its codec and a second pass that reads the footer back for the
 * statistics (each loads its default resources from the classpath, even shadowed by the empty
 * {@code core-default.xml}), and asks the storage for the file's status. A stream poll writes four to
 * six files: per-file work was a third of the Parquet time of a replay (profile in BENCHMARKS.md).
 * Here the Hadoop configuration is loaded once, nothing is read back, and the file has the schema
 * Kernel's writer gives it (field ids under column mapping, UTC-adjusted microsecond timestamps,
 * dates, UTF-8 strings). Tables with other column types (another engine's) go to Kernel's writer.
 */
final class ParquetDataWriter {
    /** Loaded once: the compression codecs read it for every page. */
    private static final Configuration HADOOP_CONF = loadedConfiguration();
    /** Rows between checks of the buffered size (asking walks every column's writer). */
    private static final int SIZE_CHECK_ROWS = 4096;

    private ParquetDataWriter() {
    }

    private static Configuration loadedConfiguration() {
        Configuration conf = new Configuration();
        conf.get("fs.defaultFS"); // parses the default resources now, once
        return conf;
    }

    /** Whether every column of {@code schema} is a flat type this writer handles (a {@link ColumnType}). */
    static boolean supports(StructType schema) {
        return schema.fields().stream().allMatch(f -> KernelSchemas.columnTypeOrNull(f.getDataType()) != null);
    }

    /** Writes the selected rows of {@code batches} (all of {@code schema}) as the Parquet file {@code path}. */
    static DataFileStatus write(FileIO io, String path, StructType schema, Iterator<FilteredColumnarBatch> batches,
            List<Column> statsColumns) throws IOException {
        MessageType parquet = parquetSchema(schema);
        ParquetProperties props = ParquetProperties.builder()
                .withPageSize(intConf(io, "parquet.page.size", ParquetProperties.DEFAULT_PAGE_SIZE))
                .withDictionaryEncoding(io.getConf("parquet.enable.dictionary").map(Boolean::parseBoolean).orElse(true))
                .build();
        long rowGroupSize = io.getConf("parquet.block.size").map(Long::parseLong).orElse(128L << 20);
        CompressionCodecName codec = io.getConf("parquet.compression").map(CompressionCodecName::fromConf)
                .orElse(CompressionCodecName.SNAPPY);
        CodecFactory codecs = new CodecFactory(HADOOP_CONF, props.getPageSizeThreshold());
        ParquetOutput out = new ParquetOutput(io.newOutputFile(path));
        boolean written = false;
        try {
            ParquetFileWriter file = new ParquetFileWriter(out, parquet, ParquetFileWriter.Mode.CREATE, rowGroupSize, 0,
                    null, props);
            file.start();
            StructField[] fields = schema.fields().toArray(new StructField[0]);
            ColumnStats[] stats = new ColumnStats[fields.length];
            for (int c = 0; c < stats.length; c++) {
                stats[c] = new ColumnStats(KernelSchemas.columnTypeOrNull(fields[c].getDataType()));
            }
            RowGroup group = new RowGroup(parquet, props, codecs.getCompressor(codec));
            long rows = 0;
            while (batches.hasNext()) {
                FilteredColumnarBatch batch = batches.next();
                ColumnVector selection = batch.getSelectionVector().orElse(null);
                ColumnVector[] vectors = new ColumnVector[stats.length];
                for (int c = 0; c < vectors.length; c++) {
                    vectors[c] = batch.getData().getColumnVector(c);
                }
                int size = batch.getData().getSize();
                for (int r = 0; r < size; r++) {
                    if (selection != null && (selection.isNullAt(r) || !selection.getBoolean(r))) {
                        continue;
                    }
                    for (int c = 0; c < vectors.length; c++) {
                        write(group.writers[c], stats[c], vectors[c], r, fields[c]);
                    }
                    group.columns.endRecord();
                    group.rows++;
                    rows++;
                    if (group.rows % SIZE_CHECK_ROWS == 0 && group.columns.getBufferedSize() >= rowGroupSize) {
                        group.flushTo(file);
                        group = new RowGroup(parquet, props, codecs.getCompressor(codec));
                    }
                }
            }
            if (group.rows > 0) {
                group.flushTo(file);
            } else {
                group.close();
            }
            file.end(Map.of());
            written = true;
            return new DataFileStatus(io.resolvePath(path), file.getPos(), System.currentTimeMillis(),
                    Optional.of(statistics(schema, stats, rows, statsColumns)));
        } catch (IllegalArgumentException e) {
            throw new LakeException(path, "cannot write data file " + path + ": " + e.getMessage(), e);
        } finally {
            codecs.release();
            if (!written) {
                out.deleteQuietly(io);
            }
        }
    }

    /** One row group's column writers, buffering pages until flushed into the file. */
    private static final class RowGroup {
        final ColumnChunkPageWriteStore pages;
        final ColumnWriteStore columns;
        final ColumnWriter[] writers;
        long rows;

        RowGroup(MessageType schema, ParquetProperties props, CodecFactory.BytesCompressor compressor) {
            this.pages = new ColumnChunkPageWriteStore(compressor, schema, props.getAllocator(),
                    props.getColumnIndexTruncateLength(), props.getPageWriteChecksumEnabled());
            this.columns = props.newColumnWriteStore(schema, pages);
            List<ColumnDescriptor> descriptors = schema.getColumns();
            this.writers = new ColumnWriter[descriptors.size()];
            for (int c = 0; c < writers.length; c++) {
                writers[c] = columns.getColumnWriter(descriptors.get(c));
            }
        }

        void flushTo(ParquetFileWriter file) throws IOException {
            file.startBlock(rows);
            columns.flush();
            pages.flushToFileWriter(file);
            file.endBlock();
            close();
        }

        void close() {
            columns.close();
            pages.close();
        }
    }

    private static void write(ColumnWriter w, ColumnStats stats, ColumnVector v, int r, StructField field) {
        if (v.isNullAt(r)) {
            if (!field.isNullable()) {
                throw new IllegalArgumentException("column " + field.getName() + " is not nullable but row " + r
                        + " holds null");
            }
            w.writeNull(0, 0);
            stats.nulls++;
            return;
        }
        int d = field.isNullable() ? 1 : 0;
        switch (stats.type) {
            case STRING -> {
                byte[] bytes = v.getString(r).getBytes(StandardCharsets.UTF_8);
                w.write(Binary.fromConstantByteArray(bytes), 0, d);
                stats.add(bytes);
            }
            case BINARY -> {
                byte[] bytes = v.getBinary(r);
                w.write(Binary.fromConstantByteArray(bytes), 0, d);
                stats.add(bytes);
            }
            case INT, DATE -> {
                int x = v.getInt(r);
                w.write(x, 0, d);
                stats.add(x);
            }
            case LONG, TIMESTAMP -> {
                long x = v.getLong(r);
                w.write(x, 0, d);
                stats.add(x);
            }
            case DOUBLE -> {
                double x = v.getDouble(r);
                w.write(x, 0, d);
                stats.add(x);
            }
            case BOOLEAN -> {
                boolean x = v.getBoolean(r);
                w.write(x, 0, d);
                stats.add(x ? 1 : 0);
            }
        }
    }

    /** Kernel's Parquet form of a flat schema: field ids under column mapping, as its own writer does. */
    static MessageType parquetSchema(StructType schema) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (StructField f : schema.fields()) {
            Type.Repetition repetition = f.isNullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            ColumnType type = KernelSchemas.columnTypeOrNull(f.getDataType());
            if (type == null) {
                throw new IllegalArgumentException("column " + f.getName() + " has type " + f.getDataType()
                        + ", not a flat Hybridlake type");
            }
            Types.PrimitiveBuilder<PrimitiveType> p = switch (type) {
                case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType());
                case BINARY -> Types.primitive(PrimitiveTypeName.BINARY, repetition);
                case INT -> Types.primitive(PrimitiveTypeName.INT32, repetition);
                case DATE -> Types.primitive(PrimitiveTypeName.INT32, repetition).as(LogicalTypeAnnotation.dateType());
                case LONG -> Types.primitive(PrimitiveTypeName.INT64, repetition);
                case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
                case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition);
                case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition);
            };
            if (f.getMetadata().contains(ColumnMapping.COLUMN_MAPPING_ID_KEY)) {
                p = p.id(((Number) f.getMetadata().get(ColumnMapping.COLUMN_MAPPING_ID_KEY)).intValue());
            }
            message.addField(p.named(f.getName()));
        }
        return message.named("Default");
    }

    private static DataFileStatistics statistics(StructType schema, ColumnStats[] stats, long rows, List<Column> columns) {
        Map<Column, Literal> min = new HashMap<>();
        Map<Column, Literal> max = new HashMap<>();
        Map<Column, Long> nulls = new HashMap<>();
        for (Column column : columns) {
            int c = column.getNames().length == 1 ? schema.indexOf(column.getNames()[0]) : -1;
            if (c >= 0) {
                stats[c].into(column, rows, min, max, nulls);
            }
        }
        return new DataFileStatistics(rows, min, max, nulls, Optional.empty());
    }

    private static int intConf(FileIO io, String key, int fallback) {
        return io.getConf(key).map(Integer::parseInt).orElse(fallback);
    }
}
