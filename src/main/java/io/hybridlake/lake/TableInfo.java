package io.hybridlake.lake;

import java.util.List;

/** What a table holds at one version: the numbers come from the Delta log, not from a cache. */
public record TableInfo(String path, long version, long commitTimestampMillis, long fileCount, long rowCount,
        long sizeBytes, List<Column> columns, List<String> partitionColumns) {
}
