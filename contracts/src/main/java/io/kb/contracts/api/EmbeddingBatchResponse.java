package io.kb.contracts.api;

import java.util.List;

/**
 * The answer of embedding-service's internal batch endpoint: one normalized vector per text, in order, with the
 * model that made them, so that a caller can refuse to mix models.
 *
 * @param model     the model's name
 * @param dimension the length of every vector
 * @param vectors   one vector per text
 * @param tokens    the token count of each text, as the model's tokenizer counts it
 */
public record EmbeddingBatchResponse(String model, int dimension, List<float[]> vectors, int[] tokens) {
}
