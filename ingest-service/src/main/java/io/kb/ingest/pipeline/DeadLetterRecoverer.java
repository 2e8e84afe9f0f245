package io.kb.ingest.pipeline;

import java.time.Instant;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestStatus;
import io.kb.ingest.publish.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

/**
 * What happens to a document that failed for good (at once, or after its retries): the original record goes to
 * {@code kb.documents.dlq.v1} with the reason in headers, and, when the record was a valid event, a
 * {@code FAILED} status tells the producer why. Then the consumer moves on to the next record.
 */
public final class DeadLetterRecoverer implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRecoverer.class);

    private final EventPublisher publisher;
    private final EventCodec codec;
    private final DeliveryProperties delivery;
    private final MeterRegistry meters;

    public DeadLetterRecoverer(EventPublisher publisher, EventCodec codec, DeliveryProperties delivery,
            MeterRegistry meters) {
        this.publisher = publisher;
        this.codec = codec;
        this.delivery = delivery;
        this.meters = meters;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void accept(ConsumerRecord<?, ?> record, Exception exception) {
        ConsumerRecord<String, byte[]> original = (ConsumerRecord<String, byte[]>) record;
        IngestFailure failure = failureOf(exception);
        String stage = failure != null ? failure.stage() : "unknown";
        String reason = failure != null ? failure.getMessage() : "unexpected error: " + rootCause(exception);
        int attempts = failure != null && !failure.retryable() ? 1 : delivery.attempts();
        log.warn("document {} failed at {} after {} attempt(s): {}", original.key(), stage, attempts, reason);
        publisher.deadLetter(original, stage, reason, failure != null ? failure : exception, attempts);
        meters.counter("kb.ingest.documents", "outcome", "failed", "stage", stage).increment();
        event(original).ifPresent(e -> publisher.publish(
                IngestStatus.failed(e.tenant(), e.documentId(), e.version(), stage, reason, Instant.now())));
    }

    private java.util.Optional<DocumentEvent> event(ConsumerRecord<String, byte[]> record) {
        try {
            return record.value() == null ? java.util.Optional.empty()
                    : java.util.Optional.of(codec.readDocumentEvent(record.value()));
        } catch (ContractViolationException e) {
            return java.util.Optional.empty();
        }
    }

    private static IngestFailure failureOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IngestFailure f) {
                return f;
            }
        }
        return null;
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
