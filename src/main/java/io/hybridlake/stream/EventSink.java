package io.hybridlake.stream;

import java.util.List;

/** Where ingested events are published: the table's topic on Kafka or Event Hubs. */
public interface EventSink {
    /** A keyed event for a topic. */
    record Event(String topic, byte[] key, byte[] value) {
    }

    /** Publishes the events and returns once the broker has acknowledged every one; throws otherwise. */
    void publish(List<Event> events);
}
