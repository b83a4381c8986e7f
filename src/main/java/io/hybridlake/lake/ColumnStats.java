package io.hybridlake.lake;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The Delta statistics of one column of a data file, gathered as its values are written: what Kernel
 * derives from the Parquet footer (min, max, null count; min and max null when every value is), so files
 * written by {@link ParquetDataWriter} carry the same. Strings compare by their UTF-8 bytes, unsigned,
 * as Parquet and Spark order them (not by UTF-16 units); binary values by their bytes, unsigned.
 */
final class ColumnStats {
    final ColumnType type;
    long nulls;
    private boolean seen;
    private long minLong;
    private long maxLong;
    private double minDouble;
    private double maxDouble;
    private boolean sawNaN;
    private byte[] minBytes;
    private byte[] maxBytes;

    ColumnStats(ColumnType type) {
        this.type = type;
    }

    void add(long x) {
        if (!seen || x < minLong) {
            minLong = x;
        }
        if (!seen || x > maxLong) {
            maxLong = x;
        }
        seen = true;
    }

    void add(double x) {
        if (Double.isNaN(x)) {
            sawNaN = true;
            return;
        }
        if (!seen || x < minDouble) {
            minDouble = x;
        }
        if (!seen || x > maxDouble) {
            maxDouble = x;
        }
        seen = true;
    }

    /** A string's UTF-8 bytes, or a binary value. */
    void add(byte[] bytes) {
        if (!seen || Arrays.compareUnsigned(bytes, minBytes) < 0) {
            minBytes = bytes;
        }
        if (!seen || Arrays.compareUnsigned(bytes, maxBytes) > 0) {
            maxBytes = bytes;
        }
        seen = true;
    }

    /** Puts this column's statistics into the file's maps, for a file of {@code rows} rows. */
    void into(Column column, long rows, Map<Column, Literal> min, Map<Column, Literal> max, Map<Column, Long> nullCounts) {
        nullCounts.put(column, nulls);
        if (nulls == rows) {
            min.put(column, Literal.ofNull(KernelSchemas.dataType(type)));
            max.put(column, Literal.ofNull(KernelSchemas.dataType(type)));
        } else if (seen && !sawNaN) { // with a NaN no bound is safe to skip on
            min.put(column, literal(true));
            max.put(column, literal(false));
        }
    }

    private Literal literal(boolean lower) {
        long l = lower ? minLong : maxLong;
        return switch (type) {
            case STRING -> Literal.ofString(new String(lower ? minBytes : maxBytes, StandardCharsets.UTF_8));
            case BINARY -> Literal.ofBinary(lower ? minBytes : maxBytes);
            case DOUBLE -> Literal.ofDouble(lower ? minDouble : maxDouble);
            case BOOLEAN -> Literal.ofBoolean(l == 1);
            case INT -> Literal.ofInt((int) l);
            case DATE -> Literal.ofDate((int) l);
            case LONG -> Literal.ofLong(l);
            case TIMESTAMP -> Literal.ofTimestamp(l);
        };
    }
}
