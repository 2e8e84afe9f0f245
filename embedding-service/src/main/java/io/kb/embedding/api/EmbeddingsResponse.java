package io.kb.embedding.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An OpenAI-format embeddings response.
 *
 * @param object always {@code list}
 * @param data   one entry per input text, in input order
 * @param model  the model that made the vectors
 * @param usage  the tokens read
 */
public record EmbeddingsResponse(String object, List<Item> data, String model, Usage usage) {

    /**
     * @param object    always {@code embedding}
     * @param index     the position of the text in the request
     * @param embedding the vector: an array of floats, or a Base64 string of little-endian float32
     */
    public record Item(String object, int index, Object embedding) {
    }

    /**
     * @param promptTokens the tokens of all input texts
     * @param totalTokens  the same; embeddings generate no tokens
     */
    public record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {
    }
}
