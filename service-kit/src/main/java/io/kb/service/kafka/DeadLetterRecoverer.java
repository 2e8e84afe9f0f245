package io.kb.service.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

/**
 * The end of a record that failed for good (at once, or after its retries): the original goes to the policy's
 * dead-letter topic with the reason in headers, the policy's failure event (a {@code FAILED} status) is published
 * when there is one, and the consumer moves on to the next record.
 */
public final class DeadLetterRecoverer implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRecoverer.class);

    private final ContractEventPublisher publisher;
    private final DeadLetterPolicy policy;
    private final DeliveryProperties delivery;
    private final MeterRegistry meters;

    public DeadLetterRecoverer(ContractEventPublisher publisher, DeadLetterPolicy policy, DeliveryProperties delivery,
            MeterRegistry meters) {
        this.publisher = publisher;
        this.policy = policy;
        this.delivery = delivery;
        this.meters = meters;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void accept(ConsumerRecord<?, ?> record, Exception exception) {
        ConsumerRecord<String, byte[]> original = (ConsumerRecord<String, byte[]>) record;
        ProcessingFailure failure = failureOf(exception);
        int attempts = failure.retryable() ? delivery.attempts() : 1;
        log.warn("record {} of {} failed at {} after {} attempt(s): {}", original.key(), original.topic(),
                failure.stage(), attempts, failure.getMessage());
        publisher.deadLetter(policy.topic(), original, failure.stage(), failure.getMessage(),
                failure.getCause() != null ? failure.getCause() : failure, attempts);
        meters.counter("kb.kafka.dead.letters", "topic", policy.topic(), "stage", failure.stage()).increment();
        policy.failureEvent(original, failure).ifPresent(publisher::publish);
    }

    /** The processing failure in the cause chain, or an unexpected error described as one. */
    static ProcessingFailure failureOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProcessingFailure f) {
                return f;
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return new ProcessingFailure("unknown", "unexpected error: " + message, true, root);
    }
}
