package io.hybridlake.serving;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The embedded store's window-log record: the states one write changed, with their window ids. */
final class WindowLogRecord {
    /** First int of a log record whose window ids are written in parts (a count is never negative). */
    private static final int BINARY_IDS = -2;

    private WindowLogRecord() {
    }

    /**
     * A log record: {@link #BINARY_IDS}, the number of windows, then per window its id's parts and its
     * state. Ids in parts, not as their sortable string: building that string was a tenth of the write.
     */
    static byte[] encode(List<WindowState> states, byte[][] encoded) {
        int size = 2 * Integer.BYTES;
        byte[][] parts = new byte[3 * encoded.length][];
        for (int i = 0; i < encoded.length; i++) {
            WindowId id = states.get(i).id();
            parts[3 * i] = id.table().getBytes(StandardCharsets.UTF_8);
            parts[3 * i + 1] = id.window().getBytes(StandardCharsets.UTF_8);
            parts[3 * i + 2] = id.groupKey().getBytes(StandardCharsets.UTF_8);
            size += 4 * Integer.BYTES + Long.BYTES + parts[3 * i].length + parts[3 * i + 1].length
                    + parts[3 * i + 2].length + encoded[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(BINARY_IDS).putInt(encoded.length);
        for (int i = 0; i < encoded.length; i++) {
            for (int p = 3 * i; p < 3 * i + 3; p++) {
                out.putInt(parts[p].length).put(parts[p]);
            }
            out.putLong(states.get(i).id().windowStart()).putInt(encoded[i].length).put(encoded[i]);
        }
        return out.array();
    }

    /** Reads a log record; records written before {@link #BINARY_IDS} carry each id as its sortable string. */
    static Map<WindowId, byte[]> decode(byte[] record) {
        Map<WindowId, byte[]> into = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(record);
        int first = in.getInt();
        boolean binary = first == BINARY_IDS;
        int n = binary ? in.getInt() : first;
        for (int i = 0; i < n; i++) {
            WindowId id = binary ? new WindowId(string(in), string(in), string(in), in.getLong())
                    : WindowId.parse(string(in));
            byte[] value = new byte[in.getInt()];
            in.get(value);
            into.put(id, value);
        }
        return into;
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
