package io.kb.service.kafka;

/** Kafka did not acknowledge a record; trying again later may succeed. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
