package io.kb.retrieval.index;

import java.util.Optional;

import io.kb.contracts.event.EmbeddingInfo;

/**
 * The size and model of a chunk index at one moment.
 *
 * @param chunkCount the number of chunks that searches can find
 * @param documentCount the number of documents with chunks (removed documents do not count)
 * @param embedding the model and dimension the index was built with; {@code null} until the first upsert
 * @param sizeOnDiskBytes the bytes the index takes on disk, or in the engine's storage; 0 when unknown
 */
public record IndexStats(long chunkCount, long documentCount, EmbeddingInfo embedding, long sizeOnDiskBytes) {

    /** The embedding, when the index has one. */
    public Optional<EmbeddingInfo> embeddingIfKnown() {
        return Optional.ofNullable(embedding);
    }
}
