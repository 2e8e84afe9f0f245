package io.kb.retrieval.consume;

import java.time.Instant;
import java.util.Locale;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.Topics;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestStages;
import io.kb.contracts.event.IngestStatus;
import io.kb.retrieval.index.ApplyResult;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.IndexVersions;
import io.kb.retrieval.index.EmbeddingMismatchException;
import io.kb.service.kafka.ContractEventPublisher;
import io.kb.service.kafka.ProcessingFailure;
import io.kb.service.kafka.PublishFailedException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The indexer: consumes {@code kb.chunks.v1} and applies each batch to the chunk index (which keeps only the newest
 * version of a document and ignores older ones), then announces {@code INDEXED} or {@code DELETED} on the status
 * topic. The offset is committed when this method returns, after the index has committed. A batch that cannot be
 * applied (invalid, or embedded with another model than the index) goes to {@code kb.chunks.dlq.v1}.
 */
public final class ChunkBatchListener {

    private static final Logger log = LoggerFactory.getLogger(ChunkBatchListener.class);

    private final EventCodec codec;
    private final ChunkIndex index;
    private final ContractEventPublisher publisher;
    private final IndexVersions versions;
    private final MeterRegistry meters;

    public ChunkBatchListener(EventCodec codec, ChunkIndex index, ContractEventPublisher publisher,
            IndexVersions versions, MeterRegistry meters) {
        this.codec = codec;
        this.index = index;
        this.publisher = publisher;
        this.versions = versions;
        this.meters = meters;
    }

    @KafkaListener(id = "retrieval-indexer", topics = Topics.CHUNKS, groupId = "retrieval-indexer",
            concurrency = "${kb.retrieval.indexer.concurrency:1}")
    public void onBatch(ConsumerRecord<String, byte[]> record) {
        ChunkBatch batch = decode(record);
        ApplyResult result;
        try {
            result = index.apply(batch);
        } catch (EmbeddingMismatchException e) {
            throw ProcessingFailure.permanent(IngestStages.INDEX, e.getMessage());
        }
        // Tenants are few (one per organisation), so the tag stays of low cardinality.
        meters.counter("kb.retrieval.indexed.documents", "tenant", batch.tenant(),
                "outcome", result.outcome().name().toLowerCase(Locale.ROOT)).increment();
        Instant now = Instant.now();
        if (result.outcome() != ApplyResult.Outcome.STALE) {
            versions.changed(batch.tenant());
        }
        switch (result.outcome()) {
            case INDEXED -> publish(IngestStatus.indexed(batch.tenant(), batch.documentId(), batch.version(),
                    result.chunkCount(), now));
            case DELETED -> publish(IngestStatus.deleted(batch.tenant(), batch.documentId(), batch.version(), now));
            case STALE -> log.debug("ignored version {} of {}: version {} is indexed", batch.version(),
                    record.key(), result.storedVersion());
        }
    }

    private ChunkBatch decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw ProcessingFailure.permanent(IngestStages.DECODE, "the record has no value");
        }
        try {
            ChunkBatch batch = codec.readChunkBatch(record.value());
            if (!batch.key().asString().equals(record.key())) {
                throw ProcessingFailure.permanent(IngestStages.DECODE, "the record's key '" + record.key()
                        + "' is not the batch's tenant/documentId '" + batch.key().asString() + "'");
            }
            return batch;
        } catch (ContractViolationException e) {
            throw ProcessingFailure.permanent(IngestStages.DECODE, "invalid chunk batch: " + e.getMessage());
        }
    }

    private void publish(IngestStatus status) {
        try {
            publisher.publish(status);
        } catch (PublishFailedException e) {
            // The index already holds the batch; applying it again is idempotent, so a retry is safe.
            throw ProcessingFailure.transientFailure(IngestStages.PUBLISH, e.getMessage(), e);
        }
    }
}
