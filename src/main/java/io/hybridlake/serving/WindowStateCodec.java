package io.hybridlake.serving;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** Compact binary form of a {@link WindowState} for byte-oriented stores. */
final class WindowStateCodec {
    private static final int FORMAT = 1;

    private WindowStateCodec() {
    }

    static byte[] encode(WindowState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(s.windowEnd());
            out.writeLong(s.count());
            out.writeLong(s.maxEventTime());
            out.writeLong(s.updatedAt());
            out.writeLong(s.version());
            out.writeShort(s.acc().length);
            for (int i = 0; i < s.acc().length; i++) {
                out.writeDouble(s.acc()[i]);
                out.writeLong(s.n()[i]);
            }
            out.writeShort(s.highWater().size());
            for (Map.Entry<String, Long> e : s.highWater().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static WindowState decode(WindowId id, byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("window " + id + " is stored in unknown format " + format);
            }
            long end = in.readLong();
            long count = in.readLong();
            long maxEventTime = in.readLong();
            long updatedAt = in.readLong();
            long version = in.readLong();
            int aggregates = in.readShort();
            double[] acc = new double[aggregates];
            long[] n = new long[aggregates];
            for (int i = 0; i < aggregates; i++) {
                acc[i] = in.readDouble();
                n[i] = in.readLong();
            }
            int sources = in.readShort();
            Map<String, Long> highWater = new HashMap<>();
            for (int i = 0; i < sources; i++) {
                highWater.put(in.readUTF(), in.readLong());
            }
            return new WindowState(id, end, acc, n, count, maxEventTime, updatedAt, version, highWater);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
