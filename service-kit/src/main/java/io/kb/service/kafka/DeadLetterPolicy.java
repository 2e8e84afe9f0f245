package io.kb.service.kafka;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.event.ContractEvent;
import io.kb.contracts.event.IngestStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a consuming service does with a record that failed for good: the dead-letter topic it goes to, and the
 * status event (if any) that tells the producer why. A service that defines one gets the platform's error handling
 * for its listeners.
 */
public interface DeadLetterPolicy {

    /** The dead-letter topic of the consumed topic. */
    String topic();

    /** The event announcing the failure, when the record could be understood well enough to name a document. */
    Optional<ContractEvent> failureEvent(ConsumerRecord<String, byte[]> record, ProcessingFailure failure);

    /**
     * The usual policy: the record goes to {@code topic}, and when its value decodes into a contract event, a
     * {@code FAILED} status of that document version names the stage and the reason.
     *
     * @param topic  the dead-letter topic
     * @param decode how the consumed topic's values become events; throws {@link ContractViolationException}
     *               for a value that is not one
     */
    static DeadLetterPolicy announcingFailure(String topic, Function<byte[], ? extends ContractEvent> decode) {
        return new DeadLetterPolicy() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public Optional<ContractEvent> failureEvent(ConsumerRecord<String, byte[]> record, ProcessingFailure failure) {
                if (record.value() == null) {
                    return Optional.empty();
                }
                try {
                    ContractEvent e = decode.apply(record.value());
                    return Optional.of(IngestStatus.failed(e.tenant(), e.documentId(), e.version(), failure.stage(),
                            failure.getMessage(), Instant.now()));
                } catch (ContractViolationException invalid) {
                    return Optional.empty();
                }
            }
        };
    }
}
