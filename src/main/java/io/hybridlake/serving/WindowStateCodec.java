package io.hybridlake.serving;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compact binary form of a {@link WindowState} for byte-oriented stores: format byte, version (first,
 * so compare-and-set reads it without decoding), updatedAt, aggregate count, then per segment
 * (first, last, count, per aggregate (acc, n, sketch)), then (source, offset) per high-water mark.
 */
public final class WindowStateCodec {
    private static final int FORMAT = 2;

    private WindowStateCodec() {
    }

    public static byte[] encode(WindowState s) {
        int aggregates = s.segments().isEmpty() ? 0 : s.segments().get(0).acc.length;
        int size = 1 + 2 * Long.BYTES + Short.BYTES + Integer.BYTES + Short.BYTES;
        for (Segment g : s.segments()) {
            size += 3 * Long.BYTES + aggregates * (2 * Long.BYTES + 1);
            for (DistinctSketch d : g.distinct) {
                size += d == null ? 0 : d.encodedSize() - 1;
            }
        }
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
        out.put((byte) FORMAT).putLong(s.version()).putLong(s.updatedAt()).putShort((short) aggregates);
        out.putInt(s.segments().size());
        for (Segment g : s.segments()) {
            out.putLong(g.first).putLong(g.last).putLong(g.count);
            for (int a = 0; a < aggregates; a++) {
                out.putDouble(g.acc[a]).putLong(g.n[a]);
                if (g.distinct[a] == null) {
                    out.put((byte) 0);
                } else {
                    g.distinct[a].encode(out);
                }
            }
        }
        out.putShort((short) sources.length);
        for (int k = 0; k < sources.length; k++) {
            out.putShort((short) sources[k].length).put(sources[k]).putLong(offsets[k]);
        }
        return out.array();
    }

    /** The version field alone, for compare-and-set checks without decoding the rest. */
    public static long version(byte[] data) {
        return ByteBuffer.wrap(data).getLong(1);
    }

    public static WindowState decode(WindowId id, byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        int format = in.get();
        if (format != FORMAT) {
            throw new IllegalStateException("window " + id + " is stored in format " + format + ", expected " + FORMAT
                    + "; rebuild the speed cache (delete its file) after this upgrade");
        }
        long version = in.getLong();
        long updatedAt = in.getLong();
        int aggregates = in.getShort();
        int count = in.getInt();
        List<Segment> segments = new ArrayList<>(count);
        for (int g = 0; g < count; g++) {
            long first = in.getLong();
            long last = in.getLong();
            long rows = in.getLong();
            double[] acc = new double[aggregates];
            long[] n = new long[aggregates];
            DistinctSketch[] distinct = new DistinctSketch[aggregates];
            for (int a = 0; a < aggregates; a++) {
                acc[a] = in.getDouble();
                n[a] = in.getLong();
                byte kind = in.get();
                distinct[a] = kind == 0 ? null : DistinctSketch.decode(in, kind);
            }
            segments.add(new Segment(first, last, rows, acc, n, distinct));
        }
        int sources = in.getShort();
        Map<String, Long> highWater = new HashMap<>(sources * 2 + 1);
        for (int k = 0; k < sources; k++) {
            byte[] source = new byte[in.getShort()];
            in.get(source);
            highWater.put(new String(source, StandardCharsets.UTF_8), in.getLong());
        }
        return new WindowState(id, segments, updatedAt, version, highWater);
    }
}
