package io.kb.cli.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.kb.contracts.Topics;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EventCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes document events to {@code kb.documents.v1}, keyed {@code tenant/documentId}, and returns once the
 * broker has acknowledged every one (all in-sync replicas, idempotent producer).
 */
public final class DocumentPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec = new EventCodec();

    public DocumentPublisher(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "kb-cli");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends every event and waits for the broker's acknowledgement of each. */
    public void publish(List<DocumentEvent> events) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (DocumentEvent e : events) {
            sent.add(producer.send(new ProducerRecord<>(Topics.DOCUMENTS, e.key().asString(), codec.write(e))));
        }
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
            } catch (ExecutionException ex) {
                throw new IllegalStateException("Kafka refused " + events.get(i).documentId() + ": "
                        + ex.getCause().getMessage(), ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing", ex);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
