package io.hybridlake.stream;

/**
 * Where a source partition resumes, checked against what the broker holds. The lake's mark is the
 * truth about what was processed; if the broker's log no longer reaches it (its data lost or reset, the
 * topic recreated) or no longer starts before it (records expired unread), resuming would skip events
 * silently, so the partition is held and reported instead until an operator decides
 * ({@code hybridlake offsets reset}).
 */
public final class SourcePositions {
    private SourcePositions() {
    }

    /**
     * Why the partition must not resume at {@code next} (broker offset; -1 = no mark yet) given the
     * broker's {@code earliest} and {@code end} offsets, or null if it may.
     */
    public static String problem(String table, String topic, int partition, long next, long earliest, long end) {
        if (next < 0) {
            return null;
        }
        String where = "pipeline " + table + ", " + topic + "[" + partition + "]: the lake (raw/stream/" + table
                + ") has processed up to offset " + (next - 1) + " but the broker holds offsets " + earliest + " to "
                + (end - 1);
        if (next > end) {
            return where + " — the source went backwards (its log was lost or reset, or the topic was recreated); new "
                    + "events would be skipped as already processed, so the partition is held. Resume with "
                    + "'hybridlake offsets reset " + table + " " + partition + " earliest|latest|<offset>'";
        }
        if (next < earliest) {
            return where + " — offsets " + next + " to " + (earliest - 1) + " expired before they were read; "
                    + "resume with 'hybridlake offsets reset " + table + " " + partition + " earliest' to accept the "
                    + "loss";
        }
        return null;
    }
}
