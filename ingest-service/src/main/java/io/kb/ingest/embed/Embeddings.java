package io.kb.ingest.embed;

import java.util.List;

/**
 * Vectors for a list of texts, in the same order, with the model that made them: downstream refuses to mix
 * vectors of different models or dimensions.
 *
 * @param model     the embedding model's name
 * @param dimension the length of every vector
 * @param vectors   one normalized vector per text
 */
public record Embeddings(String model, int dimension, List<float[]> vectors) {

    public Embeddings {
        vectors = List.copyOf(vectors);
        for (int i = 0; i < vectors.size(); i++) {
            if (vectors.get(i).length != dimension) {
                throw new IllegalArgumentException("vector " + i + " has " + vectors.get(i).length
                        + " dimensions, not " + dimension);
            }
        }
    }
}
