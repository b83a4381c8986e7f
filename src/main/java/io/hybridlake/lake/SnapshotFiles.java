package io.hybridlake.lake;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A table version as an outside reader (the SQL engine) needs it: the schema, and every data file with
 * its local path and partition values (Delta keeps partition values in the log, not in the files)
 * and its deleted row positions.
 * {@code columnsAdded} says the schema evolved (SchemaEvolution), so older files may lack columns.
 */
public record SnapshotFiles(String table, long version, TableSchema schema, boolean columnsAdded, List<File> files) {
    /** A data file and the row positions in it that are deleted (its deletion vector; empty if none). */
    public record File(Path path, Map<String, String> partitionValues, long[] deletedPositions) {
        public boolean hasDeletions() {
            return deletedPositions.length > 0;
        }
    }
}
