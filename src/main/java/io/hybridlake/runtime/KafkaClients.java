package io.hybridlake.runtime;

import java.util.Map;

/** The {@code kafka.*} settings each kind of client takes: admin (and producer) and consumer. */
public record KafkaClients(Map<String, Object> admin, Map<String, Object> consumer) {
    public KafkaClients {
        admin = Map.copyOf(admin);
        consumer = Map.copyOf(consumer);
    }
}
