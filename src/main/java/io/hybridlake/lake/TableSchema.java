package io.hybridlake.lake;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A table's columns and the subset it is partitioned by. */
public record TableSchema(List<Column> columns, List<String> partitionColumns) {
    public TableSchema {
        columns = List.copyOf(columns);
        partitionColumns = List.copyOf(partitionColumns);
        Map<String, Column> byName = new HashMap<>();
        for (Column c : columns) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("duplicate column '" + c.name() + "'");
            }
        }
        for (String p : partitionColumns) {
            if (!byName.containsKey(p)) {
                throw new IllegalArgumentException("partition column '" + p + "' is not a column");
            }
        }
    }

    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public Column column(int i) {
        return columns.get(i);
    }

    public int size() {
        return columns.size();
    }
}
