package io.hybridlake.triggers;

import io.hybridlake.lake.LakeTable;
import io.hybridlake.stream.EventBatch;
import io.hybridlake.stream.PipelineStates;
import io.hybridlake.stream.SourcePositions;
import io.hybridlake.stream.SourceRecord;
import io.hybridlake.stream.StreamPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
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
    /** The broker's end offsets when each partition was assigned: the readiness target. */
    private final Map<TopicPartition, Long> targets = new HashMap<>();
    private final Set<TopicPartition> held = new HashSet<>();
    private boolean paused;

    PipelineConsumer(String table, String topic, KafkaConsumer<byte[], byte[]> consumer, StreamPath stream,
            PipelineStates states, Settings settings) {
        this.table = table;
        this.topic = topic;
        this.consumer = consumer;
        this.stream = stream;
        this.states = states;
        this.settings = settings;
    }

    @Override
    public void run() {
        states.starting(table);
        try {
            consumer.subscribe(List.of(topic), new Positioning());
            while (!stopped.get()) {
                try {
                    step();
                } catch (WakeupException e) {
                    // stop() or recheck() interrupted a blocking call (poll, offsets lookups): the loop decides
                }
            }
        } catch (RuntimeException | Error e) {
            states.failed(table, "the consumer stopped: " + e, Long.MAX_VALUE);
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
                position(new ArrayList<>(held));
            } catch (WakeupException e) {
                recheck.set(true); // interrupted part-way: check again on the next step
                throw e;
            }
        }
        PipelineStates.State state = states.of(table);
        long now = System.currentTimeMillis();
        if (state.pausedBy() != null || state.failure() != null && now < state.retryAtMillis()) {
            pause(true);
            poll(Duration.ofMillis(state.pausedBy() != null ? 200 : Math.min(state.retryAtMillis() - now, 200))); // keeps the group membership
            return;
        }
        pause(false);
        ConsumerRecords<byte[], byte[]> records = poll(settings.maxLatency());
        if (records == null) {
            return;
        }
        if (!records.isEmpty() && states.of(table).pausedBy() != null) {
            rewind(records.partitions()); // paused while this poll waited: its records are fetched again on resume
            return;
        }
        if (!records.isEmpty()) {
            process(records);
        }
        updateCatchUp();
    }

    private ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (OffsetOutOfRangeException e) {
            // The broker no longer serves the position we were at (log truncated or reset under us).
            position(new ArrayList<>(e.partitions())); // holds each one the lake's position no longer fits
            return null;
        } catch (NoOffsetForPartitionException e) {
            // Positioning on assignment was interrupted (a wakeup in the rebalance listener): do it now.
            position(new ArrayList<>(e.partitions()));
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
            if (lostRace(e)) {
                // Another instance wrote these partitions meanwhile (a rebalance hands them over): not a fault.
                // Read again from the lake's marks; what the other instance committed is skipped exactly.
                LOG.debugf("pipeline %s: %s; re-reading from the lake's marks", table, e.getMessage());
                rewind(records.partitions());
                return;
            }
            String what = batches.stream().map(b -> b.topic() + "[" + b.partition() + "] offsets "
                    + b.records().get(0).offset() + ".." + b.lastOffset()).toList().toString();
            int attempt = states.failed(table, e.getMessage(), System.currentTimeMillis() + backoff(
                    states.of(table).failedAttempts() + 1));
            LOG.errorf(attempt == 1 ? e : null, "pipeline %s paused: %s failed (attempt %d; retried with backoff, the "
                    + "other pipelines go on): %s", table, what, attempt, e.getMessage());
            rewind(records.partitions());
        }
    }

    private static boolean lostRace(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof LakeTable.ConcurrentCommitException) {
                return true;
            }
        }
        return false;
    }

    /** Back to the lake's marks: the failed poll's records are fetched again on the retry. */
    private void rewind(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (!consumer.assignment().contains(tp)) {
                continue; // revoked meanwhile: its new owner positions it
            }
            seek(tp, stream.nextOffset(tp.topic(), tp.partition()));
        }
    }

    /** To the lake's next offset, or, for a partition the lake has no mark for, to the configured start. */
    private void seek(TopicPartition tp, long next) {
        if (next >= 0) {
            consumer.seek(tp, next);
        } else if (settings.startAtEarliest()) {
            consumer.seekToBeginning(List.of(tp));
        } else {
            consumer.seekToEnd(List.of(tp));
        }
    }

    private long backoff(int attempt) {
        long ms = settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        return Math.min(ms, settings.maxBackoff().toMillis());
    }

    private void pause(boolean all) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (all && !paused) {
            consumer.pause(assigned);
            paused = true;
        } else if (!all && paused) {
            Set<TopicPartition> resume = new HashSet<>(assigned);
            resume.removeAll(held);
            consumer.resume(resume);
            paused = false;
        }
    }

    /** Seeks each partition to the lake's position, or holds it if the broker cannot serve that position. */
    private void position(List<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            long next = stream.nextOffset(tp.topic(), tp.partition());
            String problem = SourcePositions.problem(table, tp.topic(), tp.partition(), next, earliest.get(tp), end.get(tp));
            if (problem != null) {
                hold(tp, problem, end.get(tp));
                continue;
            }
            if (held.remove(tp)) {
                states.cleared(table, tp.partition());
                consumer.resume(List.of(tp));
                LOG.infof("pipeline %s: %s resumes at offset %d", table, tp, next);
            }
            seek(tp, next);
            targets.put(tp, end.get(tp));
        }
    }

    /**
     * Pauses the partition and reports why. It is parked at {@code parkAt} (the broker's end) only because
     * the consumer needs a valid position even for a paused partition; nothing is fetched there, and a
     * resume positions it from the lake again.
     */
    private void hold(TopicPartition tp, String problem, long parkAt) {
        held.add(tp);
        consumer.pause(List.of(tp));
        consumer.seek(tp, parkAt);
        targets.remove(tp);
        states.regressed(table, tp.partition(), problem);
        LOG.errorf("%s", problem);
    }

    private void updateCatchUp() {
        List<String> behind = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
            if (!consumer.assignment().contains(t.getKey())) {
                continue;
            }
            long lag = t.getValue() - consumer.position(t.getKey());
            if (lag > settings.readyLag()) {
                behind.add(t.getKey() + " " + lag + " behind the end offset seen at start (" + t.getValue() + ")");
            }
        }
        states.catchUp(table, behind.isEmpty(), behind.isEmpty() ? null : "catching up: " + String.join(", ", behind));
    }

    static EventBatch toBatch(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
        List<SourceRecord> out = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Map<String, byte[]> headers = Map.of();
            if (r.headers().iterator().hasNext()) {
                headers = new HashMap<>();
                for (Header h : r.headers()) {
                    headers.put(h.key(), h.value());
                }
            }
            out.add(new SourceRecord(r.offset(), r.timestamp(), r.key(), r.value(), headers));
        }
        return new EventBatch(tp.topic(), tp.partition(), out);
    }

    /** Positions newly assigned partitions from the lake; forgets revoked ones. */
    private final class Positioning implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            position(new ArrayList<>(partitions));
            updateCatchUp();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                targets.remove(tp);
                if (held.remove(tp)) {
                    states.cleared(table, tp.partition());
                }
            }
        }
    }
}
