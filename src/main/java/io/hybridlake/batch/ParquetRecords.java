package io.hybridlake.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Rows of a Parquet file (any writer: Spark, pandas, DuckDB...) as the JSON objects the pipeline's
 * decoder reads: column name → value, with dates and timestamps (millis, micros, nanos, and Spark's
 * legacy INT96) as ISO-8601 text, decimals exact, binary without a string annotation as Base64.
 * Nested columns arrive as their text form, which the decoder rejects for typed fields.
 */
final class ParquetRecords implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ParquetReader<Group> reader;

    ParquetRecords(Path file) throws IOException {
        this.reader = ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
                .withConf(new Configuration()).build();
    }

    /** The next row as JSON bytes, or null at the end. */
    byte[] next() throws IOException {
        Group g = reader.read();
        if (g == null) {
            return null;
        }
        ObjectNode o = JSON.createObjectNode();
        GroupType type = g.getType();
        for (int f = 0; f < type.getFieldCount(); f++) {
            Type field = type.getType(f);
            String name = field.getName();
            if (g.getFieldRepetitionCount(f) == 0) {
                o.putNull(name);
            } else if (!field.isPrimitive()) {
                o.put(name, g.getGroup(f, 0).toString());
            } else {
                put(o, name, g, f, field.asPrimitiveType());
            }
        }
        return JSON.writeValueAsBytes(o);
    }

    private static void put(ObjectNode o, String name, Group g, int f, PrimitiveType t) {
        LogicalTypeAnnotation logical = t.getLogicalTypeAnnotation();
        switch (t.getPrimitiveTypeName()) {
            case BOOLEAN -> o.put(name, g.getBoolean(f, 0));
            case FLOAT -> o.put(name, g.getFloat(f, 0));
            case DOUBLE -> o.put(name, g.getDouble(f, 0));
            case INT32 -> {
                int v = g.getInteger(f, 0);
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    o.put(name, LocalDate.ofEpochDay(v).toString());
                } else if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    o.put(name, BigDecimal.valueOf(v, d.getScale()));
                } else {
                    o.put(name, v);
                }
            }
            case INT64 -> {
                long v = g.getLong(f, 0);
                if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    Instant at = switch (ts.getUnit()) {
                        case MILLIS -> Instant.ofEpochMilli(v);
                        case MICROS -> Instant.EPOCH.plusNanos(v * 1000);
                        case NANOS -> Instant.EPOCH.plusNanos(v);
                    };
                    o.put(name, at.toString());
                } else if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    o.put(name, BigDecimal.valueOf(v, d.getScale()));
                } else {
                    o.put(name, v);
                }
            }
            case INT96 -> o.put(name, int96(g.getInt96(f, 0).getBytes()).toString());
            case BINARY, FIXED_LEN_BYTE_ARRAY -> {
                byte[] bytes = g.getBinary(f, 0).getBytes();
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    o.put(name, new BigDecimal(new BigInteger(bytes), d.getScale()));
                } else if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    o.put(name, g.getString(f, 0));
                } else {
                    o.put(name, Base64.getEncoder().encodeToString(bytes));
                }
            }
        }
    }

    /** Spark's legacy timestamp: nanos of the day (8 bytes LE), then the Julian day (4 bytes LE). */
    private static Instant int96(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long nanos = buf.getLong();
        int julianDay = buf.getInt();
        return Instant.EPOCH.plusSeconds((julianDay - 2_440_588L) * 86_400).plusNanos(nanos);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
