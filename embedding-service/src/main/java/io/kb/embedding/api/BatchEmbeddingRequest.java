package io.kb.embedding.api;

import java.util.List;

/**
 * The ingest worker's request ({@code POST /internal/v1/embeddings:batch}).
 *
 * @param model         the model's name; wins over {@code knowledgeBase}
 * @param knowledgeBase the tenant whose configured model to use when {@code model} is absent; neither means
 *                      the default model
 * @param texts         the texts, none blank, at most the configured maximum
 */
public record BatchEmbeddingRequest(String model, String knowledgeBase, List<String> texts) {
}
