package io.hybridlake.serving;

import io.hybridlake.pipeline.AggregateFunction;

/**
 * Aggregates of a run of events in one window bucket, from the first to the last event time: the
 * whole window for tumbling and hopping windows, one session for session windows, one timestamp for
 * sliding windows. For aggregate i, {@code acc[i]} is the sum (sum, avg), minimum or maximum and
 * {@code n[i]} the number of non-null values (the row count for count); count_distinct uses a sketch.
 */
public final class Segment {
    long first;
    long last;
    long count;
    final double[] acc;
    final long[] n;
    final DistinctSketch[] distinct;

    Segment(long first, long last, long count, double[] acc, long[] n, DistinctSketch[] distinct) {
        this.first = first;
        this.last = last;
        this.count = count;
        this.acc = acc;
        this.n = n;
        this.distinct = distinct;
    }

    public static Segment empty(long eventTime, AggregateFunction[] fns) {
        DistinctSketch[] sketches = new DistinctSketch[fns.length];
        for (int i = 0; i < fns.length; i++) {
            if (fns[i] == AggregateFunction.COUNT_DISTINCT) {
                sketches[i] = new DistinctSketch();
            }
        }
        return new Segment(eventTime, eventTime, 0, new double[fns.length], new long[fns.length], sketches);
    }

    public long first() {
        return first;
    }

    public long last() {
        return last;
    }

    public long count() {
        return count;
    }

    /** Adds one event: its time and, per aggregate, its value (ignored for count; null = no value). */
    public void addEvent(long eventTime, AggregateFunction[] fns, Object[] values) {
        count++;
        first = Math.min(first, eventTime);
        last = Math.max(last, eventTime);
        for (int a = 0; a < fns.length; a++) {
            AggregateFunction fn = fns[a];
            if (fn == AggregateFunction.COUNT) {
                n[a]++;
                continue;
            }
            Object v = values[a];
            if (v == null) {
                continue;
            }
            if (fn == AggregateFunction.COUNT_DISTINCT) {
                distinct[a].add(v);
            } else {
                accumulate(a, fn, ((Number) v).doubleValue(), 1);
            }
        }
    }

    private void accumulate(int a, AggregateFunction fn, double x, long count) {
        acc[a] = switch (fn) {
            case MIN -> n[a] == 0 ? x : Math.min(acc[a], x);
            case MAX -> n[a] == 0 ? x : Math.max(acc[a], x);
            default -> acc[a] + x;
        };
        n[a] += count;
    }

    /** Folds another segment's events into this one (session merge, sliding window evaluation). */
    public void merge(Segment other, AggregateFunction[] fns) {
        if (other.count == 0) {
            return;
        }
        count += other.count;
        first = Math.min(first, other.first);
        last = Math.max(last, other.last);
        for (int a = 0; a < fns.length; a++) {
            if (fns[a] == AggregateFunction.COUNT) {
                n[a] += other.n[a];
            } else if (fns[a] == AggregateFunction.COUNT_DISTINCT) {
                distinct[a].merge(other.distinct[a]);
            } else if (other.n[a] > 0) {
                accumulate(a, fns[a], other.acc[a], other.n[a]);
            }
        }
    }

    /** The value of aggregate {@code a} as the API shows it; null where no value was seen. */
    public Double value(int a, AggregateFunction fn) {
        return switch (fn) {
            case COUNT -> (double) n[a];
            case COUNT_DISTINCT -> (double) distinct[a].estimate();
            case AVG -> n[a] == 0 ? null : acc[a] / n[a];
            case SUM -> acc[a];
            default -> n[a] == 0 ? null : acc[a];
        };
    }
}
