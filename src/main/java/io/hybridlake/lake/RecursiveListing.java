package io.hybridlake.lake;

import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.List;

/** Storage that can list every file under a directory, at any depth (what vacuum needs; Kernel's FileIO cannot). */
public interface RecursiveListing {
    List<FileStatus> listRecursively(String directory) throws IOException;
}
