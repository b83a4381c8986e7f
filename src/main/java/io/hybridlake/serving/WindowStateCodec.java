package io.hybridlake.serving;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Compact binary form of a {@link WindowState} for byte-oriented stores:
 * format byte, windowEnd, count, maxEventTime, updatedAt, version, then (acc, n) per aggregate, then
 * (source, offset) per high-water mark.
 */
final class WindowStateCodec {
    private static final int FORMAT = 1;
    private static final int VERSION_OFFSET = 1 + 4 * Long.BYTES;

    private WindowStateCodec() {
    }

    static byte[] encode(WindowState s) {
        int size = 1 + 5 * Long.BYTES + Short.BYTES + s.acc().length * 2 * Long.BYTES + Short.BYTES;
        byte[][] sources = new byte[s.highWater().size()][];
        long[] offsets = new long[sources.length];
        int i = 0;
        for (Map.Entry<String, Long> e : s.highWater().entrySet()) {
            sources[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
            offsets[i] = e.getValue();
            size += Short.BYTES + sources[i].length + Long.BYTES;
            i++;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) FORMAT).putLong(s.windowEnd()).putLong(s.count()).putLong(s.maxEventTime())
                .putLong(s.updatedAt()).putLong(s.version());
        out.putShort((short) s.acc().length);
        for (int a = 0; a < s.acc().length; a++) {
            out.putDouble(s.acc()[a]).putLong(s.n()[a]);
        }
        out.putShort((short) sources.length);
        for (int k = 0; k < sources.length; k++) {
            out.putShort((short) sources[k].length).put(sources[k]).putLong(offsets[k]);
        }
        return out.array();
    }

    /** The version field alone, for compare-and-set checks without decoding the rest. */
    static long version(byte[] data) {
        return ByteBuffer.wrap(data).getLong(VERSION_OFFSET);
    }

    static WindowState decode(WindowId id, byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        int format = in.get();
        if (format != FORMAT) {
            throw new IllegalStateException("window " + id + " is stored in unknown format " + format);
        }
        long end = in.getLong();
        long count = in.getLong();
        long maxEventTime = in.getLong();
        long updatedAt = in.getLong();
        long version = in.getLong();
        int aggregates = in.getShort();
        double[] acc = new double[aggregates];
        long[] n = new long[aggregates];
        for (int a = 0; a < aggregates; a++) {
            acc[a] = in.getDouble();
            n[a] = in.getLong();
        }
        int sources = in.getShort();
        Map<String, Long> highWater = new HashMap<>(sources * 2 + 1);
        for (int k = 0; k < sources; k++) {
            byte[] source = new byte[in.getShort()];
            in.get(source);
            highWater.put(new String(source, StandardCharsets.UTF_8), in.getLong());
        }
        return new WindowState(id, end, acc, n, count, maxEventTime, updatedAt, version, highWater);
    }
}
