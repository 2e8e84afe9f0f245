package io.kb.ingest.chunk;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How documents are cut into chunks ({@code kb.ingest.chunk.*}). Checked when the service starts.
 *
 * @param maxTokens the most tokens a chunk may have, counted by the embedding model's tokenizer
 *        without special tokens; keep it below the model's input size (512 for bge-small)
 * @param overlapTokens the most tokens a chunk repeats from the end of the previous chunk of the same
 *        section: its last sentence when that fits, otherwise its last words up to this count; 0 for none
 * @param model the embedding model whose tokenizer counts tokens, unless {@code language-models}
 *        names another for the document's language
 * @param languageModels the model per detected document language ({@code zh: bge-small-zh-v1.5});
 *        documents in other languages, or of unknown language, use {@code model}
 */
@Validated
@ConfigurationProperties("kb.ingest.chunk")
public record ChunkProperties(
        @DefaultValue("400") int maxTokens,
        @DefaultValue("40") int overlapTokens,
        @DefaultValue("bge-small-en-v1.5") String model,
        Map<String, String> languageModels) {

    /** Checks the values; without {@code language-models}, Chinese documents use {@code bge-small-zh-v1.5}. */
    public ChunkProperties {
        if (maxTokens < 16) {
            throw new IllegalArgumentException("kb.ingest.chunk.max-tokens must be at least 16, was " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
            throw new IllegalArgumentException(
                    "kb.ingest.chunk.overlap-tokens must be between 0 and half of max-tokens, was " + overlapTokens);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("kb.ingest.chunk.model must name a model");
        }
        languageModels = languageModels == null ? Map.of("zh", "bge-small-zh-v1.5") : Map.copyOf(languageModels);
    }

    /** The defaults, as the service starts without configuration. */
    public static ChunkProperties defaults() {
        return new ChunkProperties(400, 40, "bge-small-en-v1.5", null);
    }

    /** The model whose tokenizer counts the tokens of a document in {@code language} (may be null). */
    public String modelFor(String language) {
        return language == null ? model : languageModels.getOrDefault(language, model);
    }
}
