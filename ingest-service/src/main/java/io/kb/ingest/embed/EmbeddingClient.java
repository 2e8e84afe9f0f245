package io.kb.ingest.embed;

import java.util.List;

/**
 * Stage 4 of ingestion: vectors for chunk texts, from the embedding model chosen for the knowledge base.
 * Implementations: {@link HttpEmbeddingClient} (embedding-service over HTTP).
 */
public interface EmbeddingClient {

    /**
     * @param knowledgeBase the tenant, whose configured model embeds the texts
     * @param texts         the chunk texts
     * @throws io.kb.ingest.pipeline.ProcessingFailure retryable when the service is down or overloaded
     */
    Embeddings embed(String knowledgeBase, List<String> texts);
}
