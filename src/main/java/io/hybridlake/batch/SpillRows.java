package io.hybridlake.batch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Rows (values as in {@code RowBatch#get}: String, Long, Integer, Double, Boolean, byte[] or null)
 * written to and read from a spill file, a type tag before each value; and a rough estimate of a
 * row's heap size, which is what the merge's memory budget counts.
 */
final class SpillRows {
    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte INT = 3;
    private static final byte DOUBLE = 4;
    private static final byte TRUE = 5;
    private static final byte FALSE = 6;
    private static final byte BINARY = 7;

    private SpillRows() {
    }

    static void write(DataOutputStream out, Object[] row) throws IOException {
        out.writeShort(row.length);
        for (Object v : row) {
            if (v == null) {
                out.writeByte(NULL);
            } else if (v instanceof String s) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                out.writeByte(STRING);
                out.writeInt(bytes.length);
                out.write(bytes);
            } else if (v instanceof Long l) {
                out.writeByte(LONG);
                out.writeLong(l);
            } else if (v instanceof Integer i) {
                out.writeByte(INT);
                out.writeInt(i);
            } else if (v instanceof Double d) {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            } else if (v instanceof Boolean b) {
                out.writeByte(b ? TRUE : FALSE);
            } else if (v instanceof byte[] bytes) {
                out.writeByte(BINARY);
                out.writeInt(bytes.length);
                out.write(bytes);
            } else {
                throw new IllegalArgumentException("a row value of type " + v.getClass().getName() + " cannot be spilled");
            }
        }
    }

    /** The next row; {@link java.io.EOFException} at the end of the file. */
    static Object[] read(DataInputStream in) throws IOException {
        Object[] row = new Object[in.readShort()];
        for (int c = 0; c < row.length; c++) {
            byte tag = in.readByte();
            row[c] = switch (tag) {
                case NULL -> null;
                case STRING -> new String(bytes(in), StandardCharsets.UTF_8);
                case LONG -> in.readLong();
                case INT -> in.readInt();
                case DOUBLE -> in.readDouble();
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                case BINARY -> bytes(in);
                default -> throw new IOException("corrupt spill file: unknown value tag " + tag);
            };
        }
        return row;
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    /** Bytes the row takes on the heap, roughly (object headers, boxes, string contents). */
    static long estimate(Object[] row) {
        long bytes = 16 + 4L * row.length;
        for (Object v : row) {
            if (v instanceof String s) {
                bytes += 40 + s.length();
            } else if (v instanceof byte[] b) {
                bytes += 16 + b.length;
            } else if (v != null && !(v instanceof Boolean)) {
                bytes += 16;
            }
        }
        return bytes;
    }
}
