package io.kb.retrieval.consume;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.Topics;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestStages;
import io.kb.contracts.event.IngestStatus;
import io.kb.retrieval.index.ApplyResult;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.EmbeddingMismatchException;
import io.kb.retrieval.index.IndexVersions;
import io.kb.retrieval.index.PartialApplyException;
import io.kb.service.kafka.ContractEventPublisher;
import io.kb.service.kafka.ProcessingFailure;
import io.kb.service.kafka.PublishFailedException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * The indexer: consumes {@code kb.chunks.v1} and applies the batches to the chunk index (which keeps only the newest
 * version of a document and ignores older ones), then announces {@code INDEXED} or {@code DELETED} on the status
 * topic. It takes all records of a poll at once, so that the index commits once for all of them rather than once per
 * document (the commit's file sync and new searcher cost more than a document's writes). The offsets are committed
 * when this method returns, after the index has committed. A batch that cannot be applied (invalid, or embedded with
 * another model than the index) is reported by its position ({@link BatchListenerFailedException}): the records
 * before it are applied, announced and committed, and the error handler treats it as it treats a single record
 * (retries when the failure may pass, then {@code kb.chunks.dlq.v1}), then goes on with the records after it.
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
            concurrency = "${kb.retrieval.indexer.concurrency:1}", batch = "true")
    public void onBatches(List<ConsumerRecord<String, byte[]>> records) {
        // 1. Decode, up to the first record that is not a valid batch.
        List<ChunkBatch> batches = new ArrayList<>(records.size());
        RuntimeException failure = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                batches.add(decode(record));
            } catch (ProcessingFailure e) {
                failure = e;
                break;
            }
        }

        // 2. Apply them with one index commit, up to the first that cannot be applied.
        List<ApplyResult> results;
        try {
            results = index.applyAll(batches);
        } catch (PartialApplyException e) {
            results = e.applied();
            failure = e.getCause() instanceof EmbeddingMismatchException mismatch
                    ? ProcessingFailure.permanent(IngestStages.INDEX, mismatch.getMessage())
                    : e.getCause();
        } catch (RuntimeException e) {
            // Nothing is known to be applied: the poll is tried again from its first record, as a single record
            // would be. Applying a batch twice is idempotent.
            throw new BatchListenerFailedException(e.getMessage(), e, 0);
        }

        // 3. Announce what was applied, with one wait for all acknowledgements (a wait per status would cost the
        //    producer's linger for every document); the offsets of these records are committed after this method, or
        //    up to the failed record when one failed, which the error handler then retries or dead-letters.
        List<IngestStatus> statuses = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            announce(batches.get(i), results.get(i)).ifPresent(statuses::add);
        }
        try {
            publisher.publishAll(statuses);
        } catch (PublishFailedException e) {
            // The index already holds the batches; applying them again is idempotent, so a retry is safe.
            ProcessingFailure retry = ProcessingFailure.transientFailure(IngestStages.PUBLISH, e.getMessage(), e);
            throw new BatchListenerFailedException(retry.getMessage(), retry, 0);
        }
        if (failure != null) {
            throw new BatchListenerFailedException(failure.getMessage(), failure, results.size());
        }
    }

    /** Counts an applied batch and returns the status that announces it, if any. */
    private Optional<IngestStatus> announce(ChunkBatch batch, ApplyResult result) {
        // Tenants are few (one per organisation), so the tag stays of low cardinality.
        meters.counter("kb.retrieval.indexed.documents", "tenant", batch.tenant(),
                "outcome", result.outcome().name().toLowerCase(Locale.ROOT)).increment();
        Instant now = Instant.now();
        if (result.outcome() != ApplyResult.Outcome.STALE) {
            versions.changed(batch.tenant());
        }
        return switch (result.outcome()) {
            case INDEXED -> Optional.of(IngestStatus.indexed(batch.tenant(), batch.documentId(), batch.version(),
                    result.chunkCount(), now));
            case DELETED -> Optional.of(IngestStatus.deleted(batch.tenant(), batch.documentId(), batch.version(), now));
            case STALE -> {
                log.debug("ignored version {} of {}: version {} is indexed", batch.version(),
                        batch.key().asString(), result.storedVersion());
                yield Optional.empty();
            }
        };
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
}
