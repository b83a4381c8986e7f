package io.hybridlake.batch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The batch path's run record (the seed's batch metrics): per job (merge, curate, compact, vacuum,
 * import, landing-scan), the last run's time, duration, records and status, and totals. Fed by the
 * triggers (timers and HTTP), read by metrics and health.
 */
public final class BatchRuns {
    /** One job's record. */
    public static final class Job {
        public final AtomicLong lastStartedMillis = new AtomicLong();
        public final AtomicLong lastSucceededMillis = new AtomicLong();
        public final AtomicLong lastDurationMillis = new AtomicLong();
        public final AtomicLong lastRecords = new AtomicLong();
        public volatile boolean lastOk = true;
        public volatile String lastError;
        public final LongAdder runs = new LongAdder();
        public final LongAdder failures = new LongAdder();
        public final LongAdder records = new LongAdder();
        public final LongAdder millis = new LongAdder();
    }

    /** Work whose outcome counts records. */
    @FunctionalInterface
    public interface Work {
        long run() throws Exception;
    }

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public BatchRuns(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    public Map<String, Job> jobs() {
        return jobs;
    }

    public Job job(String name) {
        return jobs.computeIfAbsent(name, n -> new Job());
    }

    /** Runs and records {@code work} as one run of {@code name}; rethrows its failure. */
    public long record(String name, Work work) throws Exception {
        Job j = job(name);
        long start = clock.getAsLong();
        j.lastStartedMillis.set(start);
        j.runs.increment();
        try {
            long n = work.run();
            long end = clock.getAsLong();
            j.lastDurationMillis.set(end - start);
            j.millis.add(end - start);
            j.lastRecords.set(n);
            j.records.add(n);
            j.lastOk = true;
            j.lastError = null;
            j.lastSucceededMillis.set(end);
            return n;
        } catch (Exception e) {
            j.lastDurationMillis.set(clock.getAsLong() - start);
            j.failures.increment();
            j.lastOk = false;
            j.lastError = String.valueOf(e.getMessage());
            throw e;
        }
    }
}
