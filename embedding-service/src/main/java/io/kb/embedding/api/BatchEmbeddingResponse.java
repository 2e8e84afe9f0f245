package io.kb.embedding.api;

import java.util.List;

/**
 * Vectors for the ingest worker, with the model's name and dimension so that the indexer can refuse a
 * batch made by another model.
 *
 * @param model     the model that made the vectors
 * @param dimension the length of every vector
 * @param vectors   one L2-normalized vector per text, in request order
 * @param tokens    the tokens of each text, before any splitting
 */
public record BatchEmbeddingResponse(String model, int dimension, List<float[]> vectors, int[] tokens) {
}
