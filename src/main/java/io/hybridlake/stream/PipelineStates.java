package io.hybridlake.stream;

import io.hybridlake.HybridlakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * How each pipeline's stream consumer is doing, on this instance: running, catching up to the broker's
 * end offsets seen at start, paused because its commits keep failing (retried with backoff), or holding
 * partitions whose source went backwards (until an operator resets them), or paused by an operator
 * (maintenance, or a backlog to drain later in one go). One pipeline's trouble is
 * recorded, reported and retried here without touching the others. Read by health, metrics and the API.
 */
public final class PipelineStates {
    /**
     * A pipeline's state; {@code regressed} maps partition → what is wrong with its source;
     * {@code pausedBy} is an operator's reason for pausing it (null while not paused by one).
     */
    public record State(String table, boolean caughtUp, String catchUpDetail, String failure, int failedAttempts,
            long retryAtMillis, Map<Integer, String> regressed, long lastSuccessMillis, String pausedBy) {
        /** Whether the pipeline is consuming every partition it owns. */
        public boolean healthy() {
            return failure == null && regressed.isEmpty() && pausedBy == null;
        }

        /** Why the pipeline is not healthy, or not ready; null when it is both. */
        public String reason() {
            if (pausedBy != null) {
                return "paused by an operator: " + pausedBy;
            }
            if (failure != null) {
                return "paused after " + failedAttempts + " failed attempt(s), next retry at "
                        + Instant.ofEpochMilli(retryAtMillis) + ": " + failure;
            }
            if (!regressed.isEmpty()) {
                return "partitions " + regressed.keySet() + " held: " + String.join("; ", regressed.values());
            }
            return caughtUp ? null : catchUpDetail;
        }

        /** How long the consumer must not fetch, from {@code nowMillis} on: 0 when it may fetch now. */
        public long holdMillis(long nowMillis) {
            if (pausedBy != null) {
                return Long.MAX_VALUE;
            }
            return failure != null && nowMillis < retryAtMillis ? retryAtMillis - nowMillis : 0;
        }
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public PipelineStates(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    /** A pipeline whose consumer starts: not caught up yet. */
    public void starting(String table) {
        update(table, s -> new State(table, false, "waiting for partitions to be assigned", null, 0, 0, Map.of(), 0,
                s.pausedBy)); // an operator's pause outlives a consumer restart
    }

    public void catchUp(String table, boolean caughtUp, String detail) {
        update(table, s -> new State(table, caughtUp, detail, s.failure, s.failedAttempts, s.retryAtMillis, s.regressed,
                s.lastSuccessMillis, s.pausedBy));
    }

    /** A batch committed: any failure is over. */
    public void succeeded(String table) {
        update(table, s -> new State(table, s.caughtUp, s.catchUpDetail, null, 0, 0, s.regressed, clock.getAsLong(), s.pausedBy));
    }

    /**
     * A batch failed: retried after {@code initialBackoff}, doubled with each attempt up to {@code maxBackoff}.
     * Returns the attempt number.
     */
    public int failed(String table, String failure, Duration initialBackoff, Duration maxBackoff) {
        State next = update(table, s -> {
            int attempt = s.failedAttempts + 1;
            long wait = Math.min(initialBackoff.toMillis() << Math.min(attempt - 1, 20), maxBackoff.toMillis());
            return new State(table, s.caughtUp, s.catchUpDetail, failure, attempt, clock.getAsLong() + wait,
                    s.regressed, s.lastSuccessMillis, s.pausedBy);
        });
        return next.failedAttempts;
    }

    /** The consumer stopped for good (an error it cannot retry): reported until a restart. */
    public void stopped(String table, String failure) {
        update(table, s -> new State(table, s.caughtUp, s.catchUpDetail, failure, s.failedAttempts + 1, Long.MAX_VALUE,
                s.regressed, s.lastSuccessMillis, s.pausedBy));
    }

    /**
     * An operator's resume: a pipeline they paused consumes again, and one paused after failures retries
     * now (the consumer sees a retry time in the past).
     */
    public void resume(String table) {
        update(table, s -> new State(table, s.caughtUp, s.catchUpDetail, s.failure, s.failedAttempts,
                s.failure == null ? 0 : clock.getAsLong(), s.regressed, s.lastSuccessMillis, null));
    }

    /**
     * An operator's pause: the consumer stops fetching (keeping its partitions and group membership)
     * until {@link #resume}; events meanwhile wait in the broker, nothing is skipped. The reason is shown
     * to every operator, so it is short: at most 500 characters.
     */
    public void pause(String table, String reason) {
        if (reason != null && reason.length() > 500) {
            throw new HybridlakeException.BadRequest("reason", "'reason' is at most 500 characters");
        }
        String shown = reason == null || reason.isBlank() ? "no reason given" : reason;
        update(table, s -> new State(table, s.caughtUp, s.catchUpDetail, s.failure, s.failedAttempts, s.retryAtMillis,
                s.regressed, s.lastSuccessMillis, shown));
    }

    public void regressed(String table, int partition, String detail) {
        update(table, s -> {
            Map<Integer, String> r = new TreeMap<>(s.regressed);
            r.put(partition, detail);
            return new State(table, s.caughtUp, s.catchUpDetail, s.failure, s.failedAttempts, s.retryAtMillis,
                    Map.copyOf(r), s.lastSuccessMillis, s.pausedBy);
        });
    }

    public void cleared(String table, int partition) {
        update(table, s -> {
            Map<Integer, String> r = new TreeMap<>(s.regressed);
            r.remove(partition);
            return new State(table, s.caughtUp, s.catchUpDetail, s.failure, s.failedAttempts, s.retryAtMillis,
                    Map.copyOf(r), s.lastSuccessMillis, s.pausedBy);
        });
    }

    /** Every pipeline's state, by table. */
    public Map<String, State> all() {
        return new TreeMap<>(states);
    }

    public State of(String table) {
        return states.get(table);
    }

    private State update(String table, UnaryOperator<State> change) {
        return states.compute(table, (t, s) -> change.apply(s != null ? s
                : new State(table, false, "not started", null, 0, 0, Map.of(), 0, null)));
    }
}
