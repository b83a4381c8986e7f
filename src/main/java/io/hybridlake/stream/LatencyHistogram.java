package io.hybridlake.stream;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lock-free latency histogram with ~4% relative precision from 1 ms to ~10 min: bucket i holds
 * latencies around 1.04^i ms. Enough for p50/p99 of end-to-end freshness.
 */
public final class LatencyHistogram {
    private static final double GROWTH = 1.04;
    private static final int BUCKETS = 360;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long millis) {
        int bucket = millis <= 1 ? 0 : (int) Math.min(BUCKETS - 1, Math.ceil(Math.log(millis) / Math.log(GROWTH)));
        counts.incrementAndGet(bucket);
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The latency (ms, bucket upper bound) below which a fraction {@code q} of samples lie; 0 if empty. */
    public long percentile(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.round(Math.pow(GROWTH, i));
            }
        }
        return Math.round(Math.pow(GROWTH, BUCKETS - 1));
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }
}
