package io.hybridlake.lake;

/** The outcome of an append: the version written, or why nothing was written. */
public record CommitResult(String table, long version, int rows, boolean committed) {
    public static CommitResult nothingToWrite(String table) {
        return new CommitResult(table, -1, 0, false);
    }
}
