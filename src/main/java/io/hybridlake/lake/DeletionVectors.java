package io.hybridlake.lake;

import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.deletionvectors.Base85Codec;
import io.delta.kernel.internal.deletionvectors.DeletionVectorUtils;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;
import org.roaringbitmap.RoaringBitmap;

/**
 * Delta deletion vectors (protocol feature {@code deletionVectors}): the row positions of a data file
 * that are no longer rows of the table. Written as one {@code deletion_vector_<uuid>.bin} file per
 * commit — a format byte, then per data file its bitmap framed by a big-endian size and CRC-32 — in
 * the portable RoaringBitmapArray layout Delta readers expect, and named on the {@code add} action by
 * a relative ({@code u}) descriptor. Read back through Kernel, which checks size and checksum. A data
 * file has fewer than 2^31 rows here, so one bitmap (high key 0) holds every position.
 */
final class DeletionVectors {
    /** RoaringBitmapArray's portable serialization format (little-endian, sparse keys). */
    private static final int PORTABLE_MAGIC = 1681511377;
    private static final byte FILE_FORMAT_VERSION = 1;

    private DeletionVectors() {
    }

    /** The portable RoaringBitmapArray bytes of {@code positions}. */
    static byte[] serialize(RoaringBitmap positions) {
        positions.runOptimize();
        boolean empty = positions.isEmpty();
        int size = 4 + 8 + (empty ? 0 : 4 + positions.serializedSizeInBytes());
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(PORTABLE_MAGIC).putLong(empty ? 0 : 1);
        if (!empty) {
            buffer.putInt(0); // the high 32 bits of every position
            positions.serialize(buffer);
        }
        return buffer.array();
    }

    /**
     * Writes the bitmaps of one commit to one new file of the table; returns each data file's
     * descriptor. Nothing refers to the file until the commit does, so a crash before it leaves only
     * an orphan, which vacuum deletes.
     */
    static Map<String, DeletionVectorDescriptor> write(LakeTable table, Map<String, RoaringBitmap> byDataFile) {
        UUID id = UUID.randomUUID();
        String path = table.path() + "/deletion_vector_" + id + ".bin";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, DeletionVectorDescriptor> out = new LinkedHashMap<>();
        String encodedId = Base85Codec.encodeUUID(id);
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeByte(FILE_FORMAT_VERSION);
            for (Map.Entry<String, RoaringBitmap> e : byDataFile.entrySet()) {
                byte[] bitmap = serialize(e.getValue());
                int offset = data.size();
                CRC32 crc = new CRC32();
                crc.update(bitmap);
                data.writeInt(bitmap.length);
                data.write(bitmap);
                data.writeInt((int) crc.getValue());
                out.put(e.getKey(), new DeletionVectorDescriptor(DeletionVectorDescriptor.UUID_DV_MARKER, encodedId,
                        Optional.of(offset), bitmap.length, e.getValue().getLongCardinality()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        try (OutputStream file = table.lake().io().newOutputFile(path).create(true)) {
            bytes.writeTo(file);
        } catch (IOException e) {
            throw new LakeException(table.name(), "writing deletion vector file " + path + " of table " + table.name()
                    + " failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** The positions a descriptor marks; the error names the table, version, data file and vector file. */
    static RoaringBitmap load(LakeTable table, long version, String dataFile, DeletionVectorDescriptor dv) {
        RoaringBitmap bitmap = new RoaringBitmap();
        for (long p : positions(table, version, dataFile, dv)) {
            bitmap.add((int) p);
        }
        return bitmap;
    }

    /** The positions of a descriptor as a sorted array (for readers that are not Kernel). */
    static long[] positions(LakeTable table, long version, String dataFile, DeletionVectorDescriptor dv) {
        try {
            return DeletionVectorUtils.loadNewDvAndBitmap(table.engine(), table.path(), dv)._2.toArray();
        } catch (RuntimeException e) {
            String where = dv.isOnDisk() ? "file " + dv.getAbsolutePath(table.path()) : "an inline vector";
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new LakeException(table.name(), "the deletion vector of data file " + dataFile + " in version " + version
                    + " of table " + table.name() + " (" + where + ") cannot be read: " + cause.getMessage(), e);
        }
    }

    /**
     * The vector file a descriptor names, relative to the table root (what vacuum compares with the
     * listing); null for inline vectors and for absolute paths, which only another engine writes.
     */
    static String relativeFile(DeletionVectorDescriptor dv) {
        if (!DeletionVectorDescriptor.UUID_DV_MARKER.equals(dv.getStorageType())) {
            return null;
        }
        String encoded = dv.getPathOrInlineDv();
        int prefixLength = encoded.length() - Base85Codec.ENCODED_UUID_LENGTH;
        String prefix = encoded.substring(0, prefixLength);
        UUID id = Base85Codec.decodeUUID(encoded.substring(prefixLength));
        return (prefix.isEmpty() ? "" : prefix + "/") + "deletion_vector_" + id + ".bin";
    }
}
