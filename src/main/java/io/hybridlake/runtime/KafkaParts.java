package io.hybridlake.runtime;

import io.hybridlake.pipeline.PipelineCatalog;
import io.hybridlake.stream.Ingestor;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The Kafka clients (the embedded broker, or Event Hubs' Kafka endpoint) as beans, configured from
 * quarkus-messaging-kafka's {@code kafka.*} settings. Creating a client connects nothing; closing one
 * waits a bounded time, since the broker may already be gone.
 */
@Singleton
public class KafkaParts {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    @Produces
    @Singleton
    KafkaClients clients(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        return new KafkaClients(PlatformParts.clientConfig(kafka, AdminClientConfig.configNames()),
                PlatformParts.clientConfig(kafka, ConsumerConfig.configNames()));
    }

    @Produces
    @Singleton
    Admin admin(KafkaClients clients) {
        return Admin.create(clients.admin());
    }

    void closeAdmin(@Disposes Admin admin) {
        admin.close(CLOSE_WAIT);
    }

    @Produces
    @Singleton
    KafkaEventSink sink(KafkaClients clients) {
        return new KafkaEventSink(clients.admin());
    }

    void closeSink(@Disposes KafkaEventSink sink) {
        sink.close();
    }

    @Produces
    @Singleton
    Ingestor ingestor(PipelineCatalog catalog, KafkaEventSink sink) {
        return new Ingestor(catalog, sink);
    }
}
