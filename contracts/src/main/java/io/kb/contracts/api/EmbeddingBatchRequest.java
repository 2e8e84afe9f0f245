package io.kb.contracts.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of embedding-service's internal batch endpoint, {@code POST /internal/v1/embeddings:batch}, which
 * ingest-service (chunk texts) and retrieval-service (queries) call. The model is the one configured for the
 * knowledge base unless the request names one.
 *
 * @param model         a model's name, or null for the knowledge base's model
 * @param knowledgeBase the tenant whose configured model to use
 * @param texts         the texts, in order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbeddingBatchRequest(String model, String knowledgeBase, List<String> texts) {

    public EmbeddingBatchRequest {
        texts = List.copyOf(texts);
    }

    /** Texts to embed with the knowledge base's model. */
    public static EmbeddingBatchRequest forKnowledgeBase(String knowledgeBase, List<String> texts) {
        return new EmbeddingBatchRequest(null, knowledgeBase, texts);
    }
}
