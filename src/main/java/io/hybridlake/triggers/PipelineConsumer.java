package io.hybridlake.triggers;

import io.hybridlake.lake.ConcurrentCommitException;
import io.hybridlake.runtime.KafkaRecords;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.PipelineStates;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One pipeline's stream trigger: its own Kafka consumer (group {@code <group>.<table>}) on its own
 * thread, so a pipeline whose commits fail, or whose source went backwards, pauses alone while the
 * others keep their freshness. The lake decides where each partition resumes; a position the broker
 * cannot serve is held and reported, never silently reset ({@code auto.offset.reset=none}). A failing
 * poll is re-read from the lake's marks after a backoff, so nothing is lost or counted twice.
 */
final class PipelineConsumer implements Runnable {
    private static final Logger LOG = Logger.getLogger(PipelineConsumer.class);

    /** How the consumer starts and backs off. */
    record Settings(boolean startAtEarliest, long readyLag, Duration initialBackoff, Duration maxBackoff,
            Duration maxLatency) {
    }

    private final String table;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final StreamPath stream;
    private final PipelineStates states;
    private final Settings settings;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean recheck = new AtomicBoolean();
    private final PartitionPositions positions;

    PipelineConsumer(String table, String topic, KafkaConsumer<byte[], byte[]> consumer, StreamPath stream,
            PipelineStates states, Settings settings) {
        this.table = table;
        this.topic = topic;
        this.consumer = consumer;
        this.stream = stream;
        this.states = states;
        this.settings = settings;
        this.positions = new PartitionPositions(table, consumer, stream, states, settings);
    }

    @Override
    public void run() {
        states.starting(table);
        try {
            consumer.subscribe(List.of(topic), positions);
            while (!stopped.get()) {
                try {
                    step();
                } catch (WakeupException e) {
                    // stop() or recheck() interrupted a blocking call (poll, offsets lookups): the loop decides
                }
            }
        } catch (RuntimeException | Error e) {
            states.stopped(table, "the consumer stopped: " + e);
            LOG.errorf(e, "the stream consumer of pipeline %s (topic %s) stopped", table, topic);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the consumer thread to re-check held partitions (after an offset reset). */
    void recheck() {
        recheck.set(true);
        consumer.wakeup();
    }

    void stop() {
        stopped.set(true);
        consumer.wakeup();
    }

    private void step() {
        if (recheck.getAndSet(false)) {
            try {
                positions.recheckHeld();
            } catch (WakeupException e) {
                recheck.set(true); // interrupted part-way: check again on the next step
                throw e;
            }
        }
        long hold = states.of(table).holdMillis(System.currentTimeMillis());
        if (hold > 0) {
            positions.pauseAll(true);
            poll(Duration.ofMillis(Math.min(hold, 200))); // keeps the group membership
            return;
        }
        positions.pauseAll(false);
        ConsumerRecords<byte[], byte[]> records = poll(settings.maxLatency());
        if (records == null) {
            return;
        }
        if (!records.isEmpty() && states.of(table).pausedBy() != null) {
            positions.rewind(records.partitions()); // paused while this poll waited: its records are fetched again on resume
            return;
        }
        if (!records.isEmpty()) {
            process(records);
        }
        positions.updateCatchUp();
    }

    private ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (OffsetOutOfRangeException e) {
            // The broker no longer serves the position we were at (log truncated or reset under us).
            positions.position(new ArrayList<>(e.partitions())); // holds each one the lake's position no longer fits
            return null;
        } catch (NoOffsetForPartitionException e) {
            // Positioning on assignment was interrupted (a wakeup in the rebalance listener): do it now.
            positions.position(new ArrayList<>(e.partitions()));
            return null;
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> records) {
        List<EventBatch> batches = new ArrayList<>();
        for (TopicPartition tp : records.partitions()) {
            batches.add(toBatch(tp, records.records(tp)));
        }
        try {
            stream.process(batches);
            states.succeeded(table);
            consumer.commitAsync(); // monitoring only: the lake's marks decide where to resume
        } catch (RuntimeException e) {
            if (ConcurrentCommitException.isCauseOf(e)) {
                // Another instance wrote these partitions meanwhile (a rebalance hands them over): not a fault.
                // Read again from the lake's marks; what the other instance committed is skipped exactly.
                LOG.debugf("pipeline %s: %s; re-reading from the lake's marks", table, e.getMessage());
                positions.rewind(records.partitions());
                return;
            }
            String what = batches.stream().map(b -> b.topic() + "[" + b.partition() + "] offsets "
                    + b.records().get(0).offset() + ".." + b.lastOffset()).toList().toString();
            int attempt = states.failed(table, e.getMessage(), settings.initialBackoff(), settings.maxBackoff());
            LOG.errorf(attempt == 1 ? e : null, "pipeline %s paused: %s failed (attempt %d; retried with backoff, the "
                    + "other pipelines go on): %s", table, what, attempt, e.getMessage());
            positions.rewind(records.partitions());
        }
    }

    private static EventBatch toBatch(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
        List<SourceRecord> out = new ArrayList<>(records.size());
        records.forEach(r -> out.add(KafkaRecords.toSource(r)));
        return new EventBatch(tp.topic(), tp.partition(), out);
    }
}
