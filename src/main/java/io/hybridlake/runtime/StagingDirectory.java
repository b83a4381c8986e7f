package io.hybridlake.runtime;

import java.nio.file.Path;

/**
 * Where uploads and remote landing files are staged on local disk before import: inside a local lake
 * (a rename never crosses disks), in the temp directory for a lake on Azure Storage.
 */
public record StagingDirectory(Path path) {
}
