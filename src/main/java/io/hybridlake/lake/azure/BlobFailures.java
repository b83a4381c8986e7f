package io.hybridlake.lake.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;

/** Blob service errors as the {@link IOException}s Kernel understands, naming the blob's lake path. */
final class BlobFailures {
    private BlobFailures() {
    }

    /** An {@link IOException} naming the blob: 404 as FileNotFound, 409/412 on a conditional write as AlreadyExists. */
    static IOException of(String what, String where, BlobStorageException e) {
        if (e.getStatusCode() == 404) {
            FileNotFoundException f = new FileNotFoundException(where);
            f.initCause(e);
            return f;
        }
        if (e.getStatusCode() == 409 && BlobErrorCode.BLOB_ALREADY_EXISTS.equals(e.getErrorCode())
                || e.getStatusCode() == 412) {
            FileAlreadyExistsException f = new FileAlreadyExistsException(where);
            f.initCause(e);
            return f;
        }
        return new IOException("cannot " + what + " " + where + ": HTTP " + e.getStatusCode() + " "
                + e.getErrorCode() + ": " + e.getServiceMessage(), e);
    }
}
