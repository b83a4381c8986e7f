package io.hybridlake.triggers;

import io.hybridlake.stream.PipelineStates;
import io.hybridlake.stream.SourcePositions;
import io.hybridlake.stream.StreamPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Where one pipeline's consumer reads each partition: always the lake's next offset ({@link StreamPath}
 * marks), or the configured start for a partition the lake has never seen. A position the broker cannot
 * serve (truncated, or a source that went backwards) holds that partition and reports why; the others
 * go on. Also tracks how far each partition is behind the end offset seen when it was assigned (readiness).
 */
final class PartitionPositions implements ConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(PartitionPositions.class);

    private final String table;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final StreamPath stream;
    private final PipelineStates states;
    private final PipelineConsumer.Settings settings;
    /** The broker's end offsets when each partition was assigned: the readiness target. */
    private final Map<TopicPartition, Long> targets = new HashMap<>();
    private final Set<TopicPartition> held = new HashSet<>();
    private boolean paused;

    PartitionPositions(String table, KafkaConsumer<byte[], byte[]> consumer, StreamPath stream, PipelineStates states,
            PipelineConsumer.Settings settings) {
        this.table = table;
        this.consumer = consumer;
        this.stream = stream;
        this.states = states;
        this.settings = settings;
    }

    /** Positions newly assigned partitions from the lake. */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        position(new ArrayList<>(partitions));
        updateCatchUp();
    }

    /** Forgets revoked partitions: their new owner positions them. */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            targets.remove(tp);
            if (held.remove(tp)) {
                states.cleared(table, tp.partition());
            }
        }
    }

    /** Checks the held partitions again (after an operator reset them). */
    void recheckHeld() {
        position(new ArrayList<>(held));
    }

    /** Seeks each partition to the lake's position, or holds it if the broker cannot serve that position. */
    void position(List<TopicPartition> partitions) {
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

    /** Back to the lake's marks: a failed or abandoned poll's records are fetched again. */
    void rewind(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (!consumer.assignment().contains(tp)) {
                continue; // revoked meanwhile: its new owner positions it
            }
            seek(tp, stream.nextOffset(tp.topic(), tp.partition()));
        }
    }

    /** Pauses every assigned partition (the pipeline is paused or backing off), or resumes all but the held. */
    void pauseAll(boolean pause) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (pause && !paused) {
            consumer.pause(assigned);
            paused = true;
        } else if (!pause && paused) {
            Set<TopicPartition> resume = new HashSet<>(assigned);
            resume.removeAll(held);
            consumer.resume(resume);
            paused = false;
        }
    }

    /** Reports the pipeline caught up once every partition is within the ready lag of its target. */
    void updateCatchUp() {
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
}
