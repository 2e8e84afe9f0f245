package io.kb.service.kafka;

import io.kb.contracts.event.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

/**
 * The platform's delivery rules for services that consume its topics: contract events published only once
 * acknowledged; records whose failure may pass retried with exponential backoff; every record that fails for good
 * dead-lettered with its reason, so that one poisoned record never stops a partition. Listeners see the delivery
 * attempt in {@code KafkaHeaders.DELIVERY_ATTEMPT}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties(DeliveryProperties.class)
public class KafkaDeliveryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    @ConditionalOnBean(KafkaTemplate.class)
    ContractEventPublisher contractEventPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec) {
        return new ContractEventPublisher(kafka, codec);
    }

    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> deliveryAttemptHeader() {
        return container -> container.getContainerProperties().setDeliveryAttemptHeader(true);
    }

    @Bean
    @ConditionalOnBean(DeadLetterPolicy.class)
    DefaultErrorHandler kafkaErrorHandler(ContractEventPublisher publisher, DeadLetterPolicy policy,
            DeliveryProperties delivery, MeterRegistry meters) {
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(delivery.attempts() - 1);
        backOff.setInitialInterval(delivery.initialBackoff().toMillis());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(delivery.maxBackoff().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(
                new DeadLetterRecoverer(publisher, policy, delivery, meters), backOff);
        handler.addNotRetryableExceptions(ProcessingFailure.Permanent.class);
        handler.setCommitRecovered(true);
        return handler;
    }
}
