package io.hybridlake.lake;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;

/** A selection vector: which rows of a batch belong to one partition. */
final class BooleanArrayVector implements ColumnVector {
    private final boolean[] values;
    private final int size;

    BooleanArrayVector(boolean[] values, int size) {
        this.values = values;
        this.size = size;
    }

    @Override
    public DataType getDataType() {
        return BooleanType.BOOLEAN;
    }

    @Override
    public int getSize() {
        return size;
    }

    @Override
    public void close() {
    }

    @Override
    public boolean isNullAt(int row) {
        return false;
    }

    @Override
    public boolean getBoolean(int row) {
        return values[row];
    }
}
