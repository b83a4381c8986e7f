package io.hybridlake.stream;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the stream path, shared by all batches of one process. */
public final class StreamMetrics {
    public final LongAdder received = new LongAdder();
    public final LongAdder refined = new LongAdder();
    public final LongAdder filtered = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    public final LongAdder late = new LongAdder();
    public final LongAdder duplicates = new LongAdder();
    public final LongAdder tombstones = new LongAdder();
    public final LongAdder replaySkipped = new LongAdder();
    public final LongAdder batches = new LongAdder();
    /** Producer timestamp to "visible in tables and cache", per event. */
    public final LatencyHistogram freshness = new LatencyHistogram();
    /** Time to process one batch, from hand-over to raw commit. */
    public final LatencyHistogram batchDuration = new LatencyHistogram();

    /** Where batch time goes, in nanoseconds summed over batches: decode, each commit, the cache. */
    public final LongAdder decodeNanos = new LongAdder();
    public final LongAdder rejectedCommitNanos = new LongAdder();
    public final LongAdder refinedCommitNanos = new LongAdder();
    /** After refined committed: waiting for the poll's new window states, then writing them to the cache. */
    public final LongAdder windowNanos = new LongAdder();
    public final LongAdder windowWriteNanos = new LongAdder();
    public final LongAdder rawCommitNanos = new LongAdder();

    /** Starts the counters and histograms afresh (e.g. after a warm-up). */
    public void reset() {
        for (LongAdder a : new LongAdder[] {received, refined, filtered, rejected, late, duplicates,
                tombstones, replaySkipped, batches, decodeNanos,
                rejectedCommitNanos, refinedCommitNanos, windowNanos, windowWriteNanos, rawCommitNanos}) {
            a.reset();
        }
        freshness.reset();
        batchDuration.reset();
    }

    void count(BatchOutcome o) {
        batches.increment();
        received.add(o.received());
        refined.add(o.refined());
        filtered.add(o.filtered());
        rejected.add(o.rejected());
        late.add(o.late());
        duplicates.add(o.duplicates());
        tombstones.add(o.tombstones());
        if (o.replaySkipped()) {
            replaySkipped.add(o.received());
        }
    }
}
