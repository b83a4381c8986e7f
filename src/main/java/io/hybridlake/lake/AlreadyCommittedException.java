package io.hybridlake.lake;

/**
 * A concurrent writer committed the same transaction id (app id) first. The caller reloads the
 * table's transaction version and writes only what is still new.
 */
public class AlreadyCommittedException extends LakeException {
    public AlreadyCommittedException(String table, String appId, Throwable cause) {
        super(table, "table " + table + ": another writer committed transaction '" + appId
                + "' concurrently; re-read its version and retry with the remaining rows", cause);
    }
}
