package io.hybridlake.pipeline;

/**
 * How refined/merged takes updates (YAML {@code merge:}). {@code MERGE_ON_READ} (the default) marks
 * replaced rows in deletion vectors and appends the new versions, so a merge costs what its upserts
 * cost; {@code COPY_ON_WRITE} rewrites every file holding a replaced row (no deletion vectors, for
 * readers that do not support them). Compaction rewrites a file without its deleted rows once they
 * are more than {@code purgeAbove} of it.
 */
public record MergePolicy(Mode mode, double purgeAbove) {
    public enum Mode {
        MERGE_ON_READ, COPY_ON_WRITE
    }

    public static final MergePolicy DEFAULT = new MergePolicy(Mode.MERGE_ON_READ, 0.2);
}
