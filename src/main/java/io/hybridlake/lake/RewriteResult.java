package io.hybridlake.lake;

import java.util.List;
import java.util.Map;

/**
 * A committed rewrite: its version, and which new file each partition's rows went to (one file per
 * partition per write), so callers can keep indexes of where rows live without reading them back.
 */
public record RewriteResult(long version, Map<List<Object>, String> fileOfPartition) {
    /** A row's partition values, the key of {@code fileOfPartition}. */
    public static List<Object> partitionOf(TableSchema schema, Object[] row) {
        return DataFiles.partitionOf(schema, row);
    }

    /** The file a written row is in, from its partition values. */
    public String fileOf(TableSchema schema, Object[] row) {
        return fileOfPartition.get(DataFiles.partitionOf(schema, row));
    }
}
