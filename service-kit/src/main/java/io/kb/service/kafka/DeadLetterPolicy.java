package io.kb.service.kafka;

import java.util.Optional;

import io.kb.contracts.event.ContractEvent;
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
}
