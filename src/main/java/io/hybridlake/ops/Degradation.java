package io.hybridlake.ops;

import java.time.Duration;

/** When the platform counts as degraded (plain rules, so they are tested without a running platform). */
final class Degradation {
    private Degradation() {
    }

    /** Why the stream is stale — events wait and no batch completed for longer than allowed — or null. */
    static String staleStream(long waitingEvents, long millisSinceLastBatch, Duration staleAfter) {
        if (waitingEvents > 0 && millisSinceLastBatch > staleAfter.toMillis()) {
            return waitingEvents + " events wait in the broker and no batch completed for " + millisSinceLastBatch / 1000
                    + " s (allowed: " + staleAfter.toSeconds() + " s)";
        }
        return null;
    }

    /**
     * Why a timed job is behind its schedule — no success for three intervals since {@code since} (its
     * last success, else the start) — or null; a job that is off is never behind.
     */
    static String missedSchedule(String job, Duration every, long sinceMillis, long nowMillis, String lastError) {
        if (every == null) {
            return null;
        }
        long behind = nowMillis - sinceMillis;
        if (behind > 3 * every.toMillis()) {
            return job + " has not succeeded for " + behind / 1000 + " s (scheduled every " + every.toSeconds() + " s)"
                    + (lastError != null ? "; last error: " + lastError : "");
        }
        return null;
    }
}
