package io.hybridlake.lake;

/**
 * What the stream path and the merge record in table metadata for serving to read back: each source
 * partition's newest and oldest on-time event time committed to raw/refined (domain metadata), and
 * how far a merged table consumed each source table (a transaction id). Named here, below the writers
 * and the reader, so that neither depends on the other.
 */
public final class LayerMarks {
    /** Domain-metadata name prefix of a source partition's newest committed event time (raw and refined). */
    public static final String MAX_EVENT_TIME_DOMAIN = "hybridlake.maxEventTime.";
    /** Domain-metadata name prefix of a source partition's oldest on-time event time (raw and refined). */
    public static final String MIN_EVENT_TIME_DOMAIN = "hybridlake.minEventTime.";

    private LayerMarks() {
    }

    /** The transaction id under which a merged table records how far it consumed {@code source}. */
    public static String mergeConsumerId(TablePath source) {
        return "hybridlake-merge:" + source.relative();
    }
}
