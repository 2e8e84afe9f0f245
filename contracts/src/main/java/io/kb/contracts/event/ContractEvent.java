package io.kb.contracts.event;

import io.kb.contracts.DocumentKey;

/**
 * A value of one of the contract's topics: a {@link DocumentEvent}, a {@link ChunkBatch} or an
 * {@link IngestStatus}. All three name one version of one document of one tenant, which gives the
 * Kafka key, and each belongs to exactly one topic.
 */
public sealed interface ContractEvent permits DocumentEvent, ChunkBatch, IngestStatus {

    /** The tenant that owns the document. */
    String tenant();

    /** The producer's id of the document. */
    String documentId();

    /** The document version this value is about. */
    long version();

    /** The topic that carries this kind of value, one of {@link io.kb.contracts.Topics}. */
    String topic();

    /** The Kafka key: {@code tenant/documentId}. */
    default DocumentKey key() {
        return new DocumentKey(tenant(), documentId());
    }
}
