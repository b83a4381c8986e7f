package io.hybridlake.batch;

import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TableReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which file of the merged table holds each key, at one version: what lets a MERGE rewrite only the
 * files its keys are in. Built once per process by reading the table, then advanced from the rows
 * each merge wrote (every key of a rewritten file is among them), without reading. ~100 bytes per key.
 */
final class KeyIndex {
    private final Map<String, String> fileOfKey;
    private long version;

    private KeyIndex(Map<String, String> fileOfKey, long version) {
        this.fileOfKey = fileOfKey;
        this.version = version;
    }

    static KeyIndex build(LakeTable table, long version, Function<Object[], String> keyOf) {
        TableReader reader = new TableReader(table);
        Map<String, String> files = new HashMap<>();
        for (TableReader.FileRows file : reader.rowsIn(version, reader.filePaths(version))) {
            for (Object[] row : file.rows()) {
                files.put(keyOf.apply(row), file.path());
            }
        }
        return new KeyIndex(files, version);
    }

    long version() {
        return version;
    }

    String fileOf(String key) {
        return fileOfKey.get(key);
    }

    /** After our commit {@code to}: each (key, file) it wrote; every key of a rewritten file is among them. */
    void advance(long to, List<String[]> located) {
        for (String[] kf : located) {
            fileOfKey.put(kf[0], kf[1]);
        }
        version = to;
    }
}
