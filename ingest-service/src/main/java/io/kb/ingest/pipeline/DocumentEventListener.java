package io.kb.ingest.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.Topics;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestStages;
import io.kb.contracts.event.IngestStatus;
import io.kb.contracts.event.Operation;
import io.kb.service.kafka.ProcessingFailure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DeliveryAttemptAware;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * Consumes {@code kb.documents.v1}, a poll at a time. Each document is fetched, parsed and chunked on its own; the
 * chunks of consecutive documents are then embedded together, in groups of about one embedding request
 * ({@code kb.ingest.embedding.batch-size} texts), and their batches published together. Small documents, the common
 * case, would otherwise reach the model two or three chunks at a time, and the per-request costs of both services
 * would outweigh the model's work.
 *
 * <p>A record that is not a valid event fails permanently (to the dead-letter topic, never blocking its partition);
 * a valid one is announced as {@code RECEIVED} on its first delivery. A document that fails is reported by its
 * position ({@link BatchListenerFailedException}): the documents before it are published first, their offsets are
 * committed, and the error handler retries or dead-letters the failed one as it would a single record, then goes on
 * with the records after it (which are polled again, and may be announced {@code RECEIVED} a second time). When a
 * group's embedding fails for good, its documents are tried one at a time, so that only the document at fault is
 * dead-lettered. Offsets are committed when this method returns, after every chunk batch is acknowledged.
 */
public final class DocumentEventListener {

    private final EventCodec codec;
    private final IngestPipeline pipeline;
    private final int groupTexts;
    private final DeliveryAttemptAware attempts;

    /**
     * @param groupTexts chunk texts to gather before embedding them (a group holds more only for one large document)
     * @param attempts   the error handler, which counts the deliveries of a failed record; null when nothing retries
     */
    public DocumentEventListener(EventCodec codec, IngestPipeline pipeline, int groupTexts,
            DeliveryAttemptAware attempts) {
        if (groupTexts < 1) {
            throw new IllegalArgumentException("groupTexts must be at least 1");
        }
        this.codec = codec;
        this.pipeline = pipeline;
        this.groupTexts = groupTexts;
        this.attempts = attempts;
    }

    /** A prepared document and its position in the poll. */
    private record Pending(int index, IngestPipeline.Prepared prepared) {
    }

    @KafkaListener(id = "ingest-documents", topics = Topics.DOCUMENTS, groupId = "ingest-service",
            concurrency = "${kb.ingest.concurrency:3}", batch = "true")
    public void onDocuments(List<ConsumerRecord<String, byte[]>> records) {
        // 1. Decode, up to the first record that is not a valid event, and announce the new ones.
        List<DocumentEvent> events = new ArrayList<>(records.size());
        RuntimeException invalid = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(decode(record));
            } catch (ProcessingFailure e) {
                invalid = e;
                break;
            }
        }
        List<IngestStatus> received = new ArrayList<>();
        boolean[] skip = new boolean[events.size()];
        for (int i = 0; i < events.size(); i++) {
            DocumentEvent event = events.get(i);
            skip[i] = pipeline.alreadySettled(event);
            // Retries of the same record announce nothing new.
            if (!skip[i] && event.operation() == Operation.UPSERT && firstDelivery(records.get(i))) {
                received.add(IngestStatus.received(event.tenant(), event.documentId(), event.version(), Instant.now()));
            }
        }
        try {
            pipeline.publishAll(received);
        } catch (ProcessingFailure e) {
            throw new BatchListenerFailedException(e.getMessage(), e, 0);
        }

        // 2. Prepare each document; embed and publish them a group at a time.
        List<Pending> group = new ArrayList<>();
        int texts = 0;
        for (int i = 0; i < events.size(); i++) {
            if (skip[i]) {
                continue;
            }
            IngestPipeline.Prepared prepared;
            try {
                prepared = pipeline.prepare(events.get(i));
            } catch (RuntimeException e) {
                complete(group);
                throw new BatchListenerFailedException(e.getMessage(), e, i);
            }
            if (!group.isEmpty() && texts + prepared.texts() > groupTexts) {
                complete(group);
                group.clear();
                texts = 0;
            }
            group.add(new Pending(i, prepared));
            texts += prepared.texts();
        }
        complete(group);
        if (invalid != null) {
            throw new BatchListenerFailedException(invalid.getMessage(), invalid, events.size());
        }
    }

    /** Embeds and publishes a group; a failure is charged to the first document, or found one document at a time. */
    private void complete(List<Pending> group) {
        if (group.isEmpty()) {
            return;
        }
        try {
            pipeline.complete(group.stream().map(Pending::prepared).toList());
        } catch (RuntimeException e) {
            boolean permanent = e instanceof ProcessingFailure f && !f.retryable();
            if (group.size() == 1 || !permanent) {
                // A service that is down or busy fails every document alike: the first waits for the retry.
                throw new BatchListenerFailedException(e.getMessage(), e, group.getFirst().index());
            }
            for (Pending p : group) {
                try {
                    pipeline.complete(List.of(p.prepared()));
                } catch (RuntimeException one) {
                    throw new BatchListenerFailedException(one.getMessage(), one, p.index());
                }
            }
        }
    }

    private boolean firstDelivery(ConsumerRecord<String, byte[]> record) {
        return attempts == null || attempts.deliveryAttempt(
                new TopicPartitionOffset(record.topic(), record.partition(), record.offset())) <= 1;
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
