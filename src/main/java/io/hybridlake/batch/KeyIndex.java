package io.hybridlake.batch;

import io.hybridlake.lake.LakeTable;
import io.hybridlake.lake.TableReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which file of the merged table holds each key, at one version: what lets a MERGE rewrite only the
 * files its keys are in. Built once per process by reading the table, then advanced by reading just
 * the files each merge wrote (every key of a rewritten file is in those). About 100 bytes per key.
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
        reader.forEachRowIn(version, reader.filePaths(version), (path, row) -> files.put(keyOf.apply(row), path));
        return new KeyIndex(files, version);
    }

    long version() {
        return version;
    }

    String fileOf(String key) {
        return fileOfKey.get(key);
    }

    /** After our commit {@code to} on top of {@code from}: index the files it added. */
    void advance(LakeTable table, long from, long to, Function<Object[], String> keyOf) {
        TableReader reader = new TableReader(table);
        Set<String> added = reader.filePaths(to);
        added.removeAll(reader.filePaths(from));
        reader.forEachRowIn(to, added, (path, row) -> fileOfKey.put(keyOf.apply(row), path));
        version = to;
    }
}
