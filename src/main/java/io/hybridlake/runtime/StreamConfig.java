package io.hybridlake.runtime;

import io.smallrye.config.WithDefault;
import java.time.Duration;

public interface StreamConfig {
    /** Topic of a pipeline without an explicit source.topic: prefix + table name. */
    @WithDefault("hybridlake.")
    String topicPrefix();

    /** Events larger than this are rejected (not dropped) with the reason. */
    @WithDefault("1048576")
    int maxEventBytes();

    /** Whether this instance consumes the pipelines' topics (off where a Functions host delivers events). */
    @WithDefault("true")
    boolean consume();

    /** Where a partition the lake has no mark for starts: {@code earliest} or {@code latest}. */
    @WithDefault("earliest")
    String start();

    /** Consumer group prefix: each pipeline consumes in group {@code <group-id>.<table>}. */
    @WithDefault("hybridlake-stream")
    String groupId();

    /** Readiness: a pipeline is ready once every partition is at most this far behind the end seen at start. */
    @WithDefault("0")
    long readyLag();

    /** First backoff after a failed batch (the pipeline pauses alone); doubles each attempt. */
    @WithDefault("250ms")
    Duration initialBackoff();

    /** Longest backoff between attempts of a pipeline that keeps failing. */
    @WithDefault("60s")
    Duration maxBackoff();

    /** Micro-batch bounds; see application.properties for how they reach the consumer. */
    Batch batch();

    /**
     * How big a micro-batch grows before it is processed: a poll returns once {@code minBytes} are
     * ready or {@code maxLatencyMs} passed (kafka-delta-ingest's size-or-latency rule), at most
     * {@code maxRecords}. Larger bounds mean fewer, bigger files and older data in the speed layer.
     * The broker does the buffering (Kafka fetch.min.bytes / fetch.max.wait.ms; Event Hubs trigger:
     * host.json minEventBatchSize / maxWaitTime), so unprocessed events never sit in our heap.
     */
    interface Batch {
        @WithDefault("200")
        int maxLatencyMs();

        @WithDefault("2097152")
        int minBytes();

        @WithDefault("50000")
        int maxRecords();
    }
}
