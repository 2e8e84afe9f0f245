package io.kb.contracts.event;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.kb.contracts.ContractViolationException;
import io.kb.contracts.FieldRules;

/**
 * The embedding model that produced the vectors of a {@link ChunkBatch}. An index holds vectors of
 * one model and dimension; the indexer rejects a batch from another.
 *
 * @param model the model's name, such as {@code bge-small-en-v1.5}; not blank, at most 256 characters
 * @param dimension the length of every vector, 1 to 8192
 */
public record EmbeddingInfo(String model, @JsonSetter(nulls = Nulls.FAIL) int dimension) {

    /** The longest vector accepted. */
    public static final int MAX_DIMENSION = 8192;

    /** The longest model name, in characters. */
    public static final int MODEL_MAX_LENGTH = 256;

    /** Checks both components. */
    public EmbeddingInfo {
        FieldRules.requireNotBlank("model", model);
        FieldRules.optionalText("model", model, MODEL_MAX_LENGTH);
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new ContractViolationException("dimension", "must be 1 to " + MAX_DIMENSION + ", was " + dimension);
        }
    }
}
