package io.hybridlake.runtime;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The batch path's schedules (Quarkus scheduler locally, TimerTrigger on Azure). */
public interface BatchConfig {
    /** How often {@code <lake>/landing/<table>/} is scanned for files to import; "off" disables it. */
    @WithDefault("30s")
    String landingScanEvery();

    /** How often every pipeline's MERGE into refined/merged runs; "off" disables the timer. */
    @WithDefault("60s")
    String mergeEvery();

    /** How often small files are compacted; "off" disables the timer. */
    @WithDefault("10m")
    String compactEvery();

    /** Files smaller than this are compacted... */
    @WithDefault("33554432")
    long smallFileBytes();

    /** ...when a partition has at least this many of them. */
    @WithDefault("8")
    int compactMinFiles();

    /**
     * Heap a MERGE's source rows may take (estimated) before they spill to sorted runs on disk;
     * 0: a quarter of the maximum heap.
     */
    @WithDefault("0")
    long mergeMemoryBytes();

    /** How often unneeded files are vacuumed; "off" disables the timer. */
    @WithDefault("6h")
    String vacuumEvery();

    /** Files a snapshot of this recent past needs are kept (time travel reaches this far); at least 1h. */
    @WithDefault("7d")
    Duration vacuumRetention();
}
