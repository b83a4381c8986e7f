package io.hybridlake.lake;

/**
 * A Delta {@code txn} action: the table remembers {@code version} as the last one committed for
 * {@code appId}, in the same commit as the data. For stream appends the app id names a source
 * partition and the version is the last offset written.
 */
public record TransactionMark(String appId, long version) {
}
