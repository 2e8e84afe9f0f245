package io.kb.service.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kb.contracts.DeadLetterHeaders;
import io.kb.contracts.event.ContractEvent;
import io.kb.contracts.event.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Writes the platform's contract events to their topics, keyed {@code tenant/documentId}, and dead letters to a
 * dead-letter topic; both return only once Kafka has acknowledged the record, so that a consumer commits its offset
 * after its output is durable and never before.
 */
public final class ContractEventPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaTemplate<String, byte[]> kafka;
    private final EventCodec codec;

    public ContractEventPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    /**
     * Publishes an event and waits for the broker's acknowledgement.
     *
     * @throws PublishFailedException if Kafka did not acknowledge it in time
     */
    public void publish(ContractEvent event) {
        send(new ProducerRecord<>(event.topic(), event.key().asString(), codec.write(event)));
    }

    /**
     * Publishes events in their order and waits once for all acknowledgements, rather than a round trip per event.
     * Events with the same key keep their order, as the producer keeps it per partition.
     *
     * @throws PublishFailedException if Kafka did not acknowledge one of them in time; the others may be published
     */
    public void publishAll(List<? extends ContractEvent> events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        List<CompletableFuture<SendResult<String, byte[]>>> acks = new ArrayList<>(events.size());
        for (ContractEvent event : events) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(event.topic(), event.key().asString(),
                    codec.write(event));
            records.add(record);
            acks.add(kafka.send(record));
        }
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (int i = 0; i < acks.size(); i++) {
            await(records.get(i), acks.get(i), Math.max(0, deadline - System.nanoTime()));
        }
    }

    /**
     * Sends the original record, byte for byte and with its headers, to a dead-letter topic, with why it failed in
     * the {@link DeadLetterHeaders}.
     *
     * @param topic    the dead-letter topic
     * @param stage    where it failed
     * @param reason   why, for people
     * @param error    the failure, whose class is recorded
     * @param attempts how many times processing was tried
     */
    public void deadLetter(String topic, ConsumerRecord<String, byte[]> original, String stage, String reason,
            Throwable error, int attempts) {
        ProducerRecord<String, byte[]> dlq = new ProducerRecord<>(topic, original.key(), original.value());
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
        await(record, kafka.send(record), ACK_TIMEOUT.toNanos());
    }

    private static void await(ProducerRecord<String, byte[]> record, CompletableFuture<?> ack, long timeoutNanos) {
        try {
            ack.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new PublishFailedException("Kafka did not acknowledge a record for " + record.topic() + ": "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing to " + record.topic(), e);
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
