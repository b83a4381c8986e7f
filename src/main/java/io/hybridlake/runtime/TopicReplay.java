package io.hybridlake.runtime;

import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.stream.Replay;
import io.hybridlake.stream.StreamPath;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Replays a pipeline's topic from the broker (Kafka or Event Hubs' Kafka endpoint) through the stream path. */
@Singleton
public class TopicReplay {
    private final PipelineCatalog catalog;
    private final StreamPath streamPath;
    private final KafkaClients clients;

    TopicReplay(PipelineCatalog catalog, StreamPath streamPath, KafkaClients clients) {
        this.catalog = catalog;
        this.streamPath = streamPath;
        this.clients = clients;
    }

    /**
     * Reprocesses {@code table}'s stream output from {@code fromOffset} on, in one partition or (null)
     * in every partition of its topic: see {@link Replay}.
     */
    public Replay.Result replay(String table, long fromOffset, Integer partition) {
        String topic = catalog.topicOf(catalog.table(table));
        try (BrokerRecords records = new BrokerRecords(clients.admin())) {
            List<Integer> partitions = partition != null ? List.of(partition) : records.partitions(topic);
            Map<Integer, Long> from = new TreeMap<>();
            partitions.forEach(p -> from.put(p, fromOffset));
            return streamPath.replay(table, from, records);
        }
    }
}
