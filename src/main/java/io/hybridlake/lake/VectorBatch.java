package io.hybridlake.lake;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.List;

/** An immutable Kernel batch over column vectors; Kernel derives new batches by adding or dropping columns. */
final class VectorBatch implements ColumnarBatch {
    private final StructType schema;
    private final List<ColumnVector> vectors;
    private final int size;

    VectorBatch(StructType schema, List<ColumnVector> vectors, int size) {
        this.schema = schema;
        this.vectors = List.copyOf(vectors);
        this.size = size;
    }

    @Override
    public StructType getSchema() {
        return schema;
    }

    @Override
    public ColumnVector getColumnVector(int ordinal) {
        return vectors.get(ordinal);
    }

    @Override
    public int getSize() {
        return size;
    }

    @Override
    public ColumnarBatch withNewColumn(int ordinal, StructField field, ColumnVector vector) {
        List<StructField> fields = new ArrayList<>(schema.fields());
        fields.add(ordinal, field);
        List<ColumnVector> vs = new ArrayList<>(vectors);
        vs.add(ordinal, vector);
        return new VectorBatch(new StructType(fields), vs, size);
    }

    @Override
    public ColumnarBatch withDeletedColumnAt(int ordinal) {
        List<StructField> fields = new ArrayList<>(schema.fields());
        fields.remove(ordinal);
        List<ColumnVector> vs = new ArrayList<>(vectors);
        vs.remove(ordinal);
        return new VectorBatch(new StructType(fields), vs, size);
    }

    @Override
    public ColumnarBatch withNewSchema(StructType newSchema) {
        return new VectorBatch(newSchema, vectors, size);
    }
}
