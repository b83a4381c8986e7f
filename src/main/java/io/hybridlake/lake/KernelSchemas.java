package io.hybridlake.lake;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.util.ArrayList;
import java.util.List;

/** Translation between Hybridlake's schema terms and Kernel's. */
final class KernelSchemas {
    private KernelSchemas() {
    }

    static DataType dataType(ColumnType type) {
        return switch (type) {
            case STRING -> StringType.STRING;
            case INT -> IntegerType.INTEGER;
            case LONG -> LongType.LONG;
            case DOUBLE -> DoubleType.DOUBLE;
            case BOOLEAN -> BooleanType.BOOLEAN;
            case TIMESTAMP -> TimestampType.TIMESTAMP;
            case DATE -> DateType.DATE;
            case BINARY -> BinaryType.BINARY;
        };
    }

    static ColumnType columnType(DataType type, String table, String column) {
        ColumnType t = columnTypeOrNull(type);
        if (t == null) {
            throw new LakeException(table, "column '" + column + "' has type " + type
                    + " which Hybridlake does not read; supported: " + List.of(ColumnType.values()));
        }
        return t;
    }

    /** Hybridlake's type for a Kernel type, or null where it has none (another engine's decimals, structs...). */
    static ColumnType columnTypeOrNull(DataType type) {
        if (type instanceof StringType) {
            return ColumnType.STRING;
        } else if (type instanceof IntegerType) {
            return ColumnType.INT;
        } else if (type instanceof LongType) {
            return ColumnType.LONG;
        } else if (type instanceof DoubleType) {
            return ColumnType.DOUBLE;
        } else if (type instanceof BooleanType) {
            return ColumnType.BOOLEAN;
        } else if (type instanceof TimestampType) {
            return ColumnType.TIMESTAMP;
        } else if (type instanceof DateType) {
            return ColumnType.DATE;
        } else if (type instanceof BinaryType) {
            return ColumnType.BINARY;
        }
        return null;
    }

    static StructType structType(TableSchema schema) {
        StructType struct = new StructType();
        for (Column c : schema.columns()) {
            struct = struct.add(new StructField(c.name(), dataType(c.type()), c.nullable()));
        }
        return struct;
    }

    static TableSchema tableSchema(StructType struct, List<String> partitionColumns, String table) {
        List<Column> columns = new ArrayList<>();
        for (StructField f : struct.fields()) {
            columns.add(new Column(f.getName(), columnType(f.getDataType(), table, f.getName()), f.isNullable()));
        }
        return new TableSchema(columns, partitionColumns);
    }

    static ColumnarBatch columnarBatch(RowBatch rows, StructType struct) {
        List<ColumnVector> vectors = new ArrayList<>();
        for (int c = 0; c < rows.schema().size(); c++) {
            vectors.add(new RowBatchVector(rows, c, struct.at(c).getDataType()));
        }
        return new VectorBatch(struct, vectors, rows.size());
    }

    static Literal literal(ColumnType type, Object value) {
        if (value == null) {
            return Literal.ofNull(dataType(type));
        }
        return switch (type) {
            case STRING -> Literal.ofString((String) value);
            case INT -> Literal.ofInt((Integer) value);
            case LONG -> Literal.ofLong((Long) value);
            case DOUBLE -> Literal.ofDouble((Double) value);
            case BOOLEAN -> Literal.ofBoolean((Boolean) value);
            case TIMESTAMP -> Literal.ofTimestamp((Long) value);
            case DATE -> Literal.ofDate((Integer) value);
            case BINARY -> Literal.ofBinary((byte[]) value);
        };
    }

    /** Reads one cell of a Kernel vector as the boxed Java value {@link RowBatch#get} uses. */
    static Object value(ColumnVector v, ColumnType type, int row) {
        if (v.isNullAt(row)) {
            return null;
        }
        return switch (type) {
            case STRING -> v.getString(row);
            case INT, DATE -> v.getInt(row);
            case LONG, TIMESTAMP -> v.getLong(row);
            case DOUBLE -> v.getDouble(row);
            case BOOLEAN -> v.getBoolean(row);
            case BINARY -> v.getBinary(row);
        };
    }
}
