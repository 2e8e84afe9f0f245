package io.kb.ingest.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kb.contracts.DeadLetterHeaders;
import io.kb.contracts.Topics;
import io.kb.contracts.event.ContractEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestStages;
import io.kb.ingest.pipeline.IngestFailure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Stage 5 of ingestion, and the dead-letter path: writes contract events to their topics, keyed
 * {@code tenant/documentId}, and returns only once Kafka has acknowledged them, so that the consumer commits
 * its offset after the work is durable and never before.
 */
public final class EventPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaTemplate<String, byte[]> kafka;
    private final EventCodec codec;

    public EventPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    /** Publishes an event and waits for the broker's acknowledgement. */
    public void publish(ContractEvent event) {
        send(new ProducerRecord<>(event.topic(), event.key().asString(), codec.write(event)));
    }

    /**
     * Sends the original record, byte for byte, to {@code kb.documents.dlq.v1} with the reason in headers.
     *
     * @param attempts how many times processing was tried
     */
    public void deadLetter(ConsumerRecord<String, byte[]> original, String stage, String reason, Throwable error,
            int attempts) {
        ProducerRecord<String, byte[]> dlq = new ProducerRecord<>(Topics.DOCUMENTS_DLQ, original.key(), original.value());
        Headers h = dlq.headers();
        original.headers().forEach(h::add);
        put(h, DeadLetterHeaders.ERROR_REASON, reason);
        put(h, DeadLetterHeaders.ERROR_CLASS, error == null ? "" : error.getClass().getName());
        put(h, DeadLetterHeaders.ERROR_STAGE, stage);
        put(h, DeadLetterHeaders.ERROR_ATTEMPTS, Integer.toString(attempts));
        put(h, DeadLetterHeaders.ORIGINAL_TOPIC, original.topic());
        put(h, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(original.partition()));
        put(h, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(original.offset()));
        put(h, DeadLetterHeaders.FAILED_AT, Instant.now().toString());
        send(dlq);
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            kafka.send(record).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw IngestFailure.transientFailure(IngestStages.PUBLISH, "Kafka did not acknowledge " + record.topic()
                    + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw IngestFailure.transientFailure(IngestStages.PUBLISH, "interrupted while publishing", e);
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
