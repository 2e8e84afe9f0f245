package io.kb.ingest.status;

import io.kb.contracts.event.EventCodec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

/** The document states that the API reads, and the feed that keeps them current. */
@Configuration(proxyBeanMethods = false)
class StatusConfiguration {

    @Bean
    DocumentStates documentStates() {
        return new DocumentStates();
    }

    @Bean
    KafkaStatusFeed kafkaStatusFeed(ConsumerFactory<String, byte[]> consumers, EventCodec codec, DocumentStates states,
            StatusFeedProperties properties, ObjectProvider<IngestStatusListener> listeners) {
        return new KafkaStatusFeed(consumers, codec, states, properties, listeners.orderedStream().toList());
    }

    /** Named so that the health contributor is {@code documentStates}, as the readiness group lists it. */
    @Bean
    StatusFeedHealthIndicator documentStatesHealthIndicator(KafkaStatusFeed feed, DocumentStates states) {
        return new StatusFeedHealthIndicator(feed, states);
    }
}
