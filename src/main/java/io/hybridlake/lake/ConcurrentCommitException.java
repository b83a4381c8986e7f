package io.hybridlake.lake;

/** Another writer committed between our snapshot and our commit (Kernel's retries are off). */
public final class ConcurrentCommitException extends LakeException {
    ConcurrentCommitException(String table, Throwable cause) {
        super(table, "table " + table + " was committed to concurrently; retrying on the new snapshot", cause);
    }

    /** Whether {@code failure} is, or was caused by, another writer winning a commit race. */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof ConcurrentCommitException) {
                return true;
            }
        }
        return false;
    }
}
