package io.kb.contracts;

import java.util.List;

/**
 * The Kafka topics of the ingestion contract. Every topic is keyed by {@link DocumentKey}
 * ({@code tenant/documentId}), so that one document's events stay in order on one partition.
 *
 * <p>The {@code .v1} suffix is the version of the value format; an incompatible change gets new
 * topics beside these, never a different meaning on the same name.
 */
public final class Topics {

    /** {@code DocumentEvent} values: what enterprise systems, the ingest API and {@code kb ingest} publish. */
    public static final String DOCUMENTS = "kb.documents.v1";

    /** {@code ChunkBatch} values: one per document version, from ingest-service to the indexer. */
    public static final String CHUNKS = "kb.chunks.v1";

    /** {@code IngestStatus} values: the latest state of each document, for the UI and the CLI. */
    public static final String INGEST_STATUS = "kb.ingest.status.v1";

    /**
     * Records of {@link #DOCUMENTS} that could not be processed: the original key and bytes, with the
     * {@link DeadLetterHeaders} that say why.
     */
    public static final String DOCUMENTS_DLQ = "kb.documents.dlq.v1";

    /** Records of {@link #CHUNKS} that could not be indexed, in the same form as {@link #DOCUMENTS_DLQ}. */
    public static final String CHUNKS_DLQ = "kb.chunks.dlq.v1";

    /** Every topic above, for tools that create or check them. */
    public static final List<String> ALL = List.of(DOCUMENTS, CHUNKS, INGEST_STATUS, DOCUMENTS_DLQ, CHUNKS_DLQ);

    private Topics() {
    }
}
