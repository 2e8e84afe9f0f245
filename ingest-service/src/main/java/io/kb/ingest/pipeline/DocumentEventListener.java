package io.kb.ingest.pipeline;

import java.time.Instant;

import io.kb.service.kafka.ProcessingFailure;
import io.kb.contracts.ContractViolationException;
import io.kb.contracts.Topics;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestStages;
import io.kb.contracts.event.IngestStatus;
import io.kb.contracts.event.Operation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;

/**
 * Consumes {@code kb.documents.v1}. A record that is not a valid event fails permanently (to the dead-letter
 * topic, never blocking its partition); a valid one is announced as {@code RECEIVED} and run through the
 * pipeline. The offset is committed when this method returns, which is after the chunk batch is acknowledged.
 */
public final class DocumentEventListener {

    private final EventCodec codec;
    private final IngestPipeline pipeline;
    public DocumentEventListener(EventCodec codec, IngestPipeline pipeline) {
        this.codec = codec;
        this.pipeline = pipeline;
    }

    @KafkaListener(id = "ingest-documents", topics = Topics.DOCUMENTS, groupId = "ingest-service",
            concurrency = "${kb.ingest.concurrency:3}")
    public void onDocument(ConsumerRecord<String, byte[]> record,
            @Header(name = KafkaHeaders.DELIVERY_ATTEMPT, required = false) Integer attempt) {
        DocumentEvent event = decode(record);
        if (pipeline.alreadySettled(event)) {
            return;
        }
        // Retries of the same record announce nothing new.
        if (event.operation() == Operation.UPSERT && (attempt == null || attempt <= 1)) {
            pipeline.publish(IngestStatus.received(event.tenant(), event.documentId(), event.version(), Instant.now()));
        }
        pipeline.process(event);
    }

    DocumentEvent decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw ProcessingFailure.permanent(IngestStages.DECODE, "the record has no value");
        }
        DocumentEvent event;
        try {
            event = codec.readDocumentEvent(record.value());
        } catch (ContractViolationException e) {
            throw ProcessingFailure.permanent(IngestStages.DECODE, "invalid document event: " + e.getMessage());
        }
        String key = event.key().asString();
        if (!key.equals(record.key())) {
            throw ProcessingFailure.permanent(IngestStages.DECODE, "the record's key '" + record.key()
                    + "' is not the event's tenant/documentId '" + key + "'");
        }
        return event;
    }
}
