package io.hybridlake.lake;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a reader that reads only local files (DuckDB) finds a table version's data files: the files
 * themselves on a local lake, local copies ({@link FileCache}) on object storage. Closing releases
 * the copies for eviction; the paths must not be read after that.
 */
public interface LocalFiles extends AutoCloseable {
    /** A lake data file by its full location and its size in bytes (from the Delta log). */
    record LakeFile(String location, long size) {
    }

    /** The local paths of {@code files} of table {@code table}, in order. */
    List<Path> paths(String table, List<LakeFile> files);

    @Override
    void close();

    /** A local lake's files are already local. */
    static LocalFiles onLocalDisk() {
        return new LocalFiles() {
            @Override
            public List<Path> paths(String table, List<LakeFile> files) {
                return files.stream().map(f -> LocalFileIO.toPath(f.location())).toList();
            }

            @Override
            public void close() {
            }
        };
    }
}
