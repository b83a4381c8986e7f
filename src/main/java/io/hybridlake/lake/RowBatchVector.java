package io.hybridlake.lake;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.types.DataType;
import java.nio.charset.StandardCharsets;

/** A zero-copy Kernel view of one column of a {@link RowBatch}. */
final class RowBatchVector implements ColumnVector {
    private final RowBatch batch;
    private final int column;
    private final DataType type;

    RowBatchVector(RowBatch batch, int column, DataType type) {
        this.batch = batch;
        this.column = column;
        this.type = type;
    }

    @Override
    public DataType getDataType() {
        return type;
    }

    @Override
    public int getSize() {
        return batch.size();
    }

    @Override
    public void close() {
    }

    @Override
    public boolean isNullAt(int row) {
        return batch.isNull(column, row);
    }

    @Override
    public boolean getBoolean(int row) {
        return batch.getInt(column, row) != 0;
    }

    @Override
    public int getInt(int row) {
        return batch.getInt(column, row);
    }

    @Override
    public long getLong(int row) {
        return batch.getLong(column, row);
    }

    @Override
    public double getDouble(int row) {
        return batch.getDouble(column, row);
    }

    @Override
    public String getString(int row) {
        Object v = batch.getObject(column, row);
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) v;
    }

    @Override
    public byte[] getBinary(int row) {
        Object v = batch.getObject(column, row);
        return v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) v;
    }
}
