package io.hybridlake.lake;

import java.util.Arrays;
import java.util.List;

/**
 * Rows to append, held column by column in primitive arrays so that a micro-batch of tens of
 * thousands of events is written without boxing. Built row by row: {@code set*} the columns of the
 * current row, then {@link #endRow()}. Unset columns are null.
 */
public final class RowBatch {
    private final TableSchema schema;
    private final long[][] longs;
    private final int[][] ints;
    private final double[][] doubles;
    private final Object[][] objects;
    private final boolean[][] present;
    private int size;
    private int capacity;

    public RowBatch(TableSchema schema, int expectedRows) {
        this.schema = schema;
        int n = schema.size();
        this.capacity = Math.max(16, expectedRows);
        this.longs = new long[n][];
        this.ints = new int[n][];
        this.doubles = new double[n][];
        this.objects = new Object[n][];
        this.present = new boolean[n][];
        for (int c = 0; c < n; c++) {
            ColumnType t = schema.column(c).type();
            if (t.longLane()) {
                longs[c] = new long[capacity];
            } else if (t.intLane() || t == ColumnType.BOOLEAN) {
                ints[c] = new int[capacity];
            } else if (t == ColumnType.DOUBLE) {
                doubles[c] = new double[capacity];
            } else {
                objects[c] = new Object[capacity];
            }
            present[c] = new boolean[capacity];
        }
    }

    /** A batch over other batch's column arrays (no copy): see {@link #conformedTo}. */
    private RowBatch(TableSchema schema, long[][] longs, int[][] ints, double[][] doubles, Object[][] objects,
            boolean[][] present, int size, int capacity) {
        this.schema = schema;
        this.longs = longs;
        this.ints = ints;
        this.doubles = doubles;
        this.objects = objects;
        this.present = present;
        this.size = size;
        this.capacity = capacity;
    }

    /**
     * The same rows in {@code target}'s column order, columns matched by name; a column of
     * {@code target} the rows lack is null in every row. Shares the column arrays (read-only use: a
     * write). The caller checked that names and types fit ({@link SchemaMatch}).
     */
    RowBatch conformedTo(TableSchema target) {
        int n = target.size();
        long[][] l = new long[n][];
        int[][] i = new int[n][];
        double[][] d = new double[n][];
        Object[][] o = new Object[n][];
        boolean[][] p = new boolean[n][];
        for (int c = 0; c < n; c++) {
            int from = schema.indexOf(target.column(c).name());
            if (from >= 0) {
                l[c] = longs[from];
                i[c] = ints[from];
                d[c] = doubles[from];
                o[c] = objects[from];
                p[c] = present[from];
            } else {
                ColumnType t = target.column(c).type();
                if (t.longLane()) {
                    l[c] = new long[capacity];
                } else if (t.intLane() || t == ColumnType.BOOLEAN) {
                    i[c] = new int[capacity];
                } else if (t == ColumnType.DOUBLE) {
                    d[c] = new double[capacity];
                } else {
                    o[c] = new Object[capacity];
                }
                p[c] = new boolean[capacity]; // all null
            }
        }
        return new RowBatch(target, l, i, d, o, p, size, capacity);
    }

    public TableSchema schema() {
        return schema;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void setLong(int column, long value) {
        longs[column][size] = value;
        present[column][size] = true;
    }

    public void setInt(int column, int value) {
        ints[column][size] = value;
        present[column][size] = true;
    }

    public void setBoolean(int column, boolean value) {
        ints[column][size] = value ? 1 : 0;
        present[column][size] = true;
    }

    public void setDouble(int column, double value) {
        doubles[column][size] = value;
        present[column][size] = true;
    }

    /** For STRING (a String) and BINARY (a byte[]) columns; null leaves the cell null. */
    public void setObject(int column, Object value) {
        objects[column][size] = value;
        present[column][size] = value != null;
    }

    /** Sets a cell from a boxed value of the column's Java type (see {@link #get}). */
    public void set(int column, Object value) {
        if (value == null) {
            return;
        }
        ColumnType t = schema.column(column).type();
        switch (t) {
            case LONG, TIMESTAMP -> setLong(column, ((Number) value).longValue());
            case INT, DATE -> setInt(column, ((Number) value).intValue());
            case DOUBLE -> setDouble(column, ((Number) value).doubleValue());
            case BOOLEAN -> setBoolean(column, (Boolean) value);
            default -> setObject(column, value);
        }
    }

    /** A batch of whole rows (values as {@link #set} takes them, in schema order). */
    public static RowBatch of(TableSchema schema, List<Object[]> rows) {
        RowBatch batch = new RowBatch(schema, rows.size() + 1);
        for (Object[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                batch.set(c, row[c]);
            }
            batch.endRow();
        }
        return batch;
    }

    public void endRow() {
        size++;
        if (size == capacity) {
            grow();
        }
    }

    private void grow() {
        capacity *= 2;
        for (int c = 0; c < schema.size(); c++) {
            if (longs[c] != null) {
                longs[c] = Arrays.copyOf(longs[c], capacity);
            }
            if (ints[c] != null) {
                ints[c] = Arrays.copyOf(ints[c], capacity);
            }
            if (doubles[c] != null) {
                doubles[c] = Arrays.copyOf(doubles[c], capacity);
            }
            if (objects[c] != null) {
                objects[c] = Arrays.copyOf(objects[c], capacity);
            }
            present[c] = Arrays.copyOf(present[c], capacity);
        }
    }

    public boolean isNull(int column, int row) {
        return !present[column][row];
    }

    public long getLong(int column, int row) {
        return longs[column][row];
    }

    public int getInt(int column, int row) {
        return ints[column][row];
    }

    public double getDouble(int column, int row) {
        return doubles[column][row];
    }

    public Object getObject(int column, int row) {
        return objects[column][row];
    }

    /** The cell as a boxed Java value: Long, Integer, Double, Boolean, String, byte[] or null. */
    public Object get(int column, int row) {
        if (isNull(column, row)) {
            return null;
        }
        return switch (schema.column(column).type()) {
            case LONG, TIMESTAMP -> longs[column][row];
            case INT, DATE -> ints[column][row];
            case DOUBLE -> doubles[column][row];
            case BOOLEAN -> ints[column][row] != 0;
            default -> objects[column][row];
        };
    }
}
