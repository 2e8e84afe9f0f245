package io.kb.inference.api.openai;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The OpenAI-compatible API, {@code kb.inference.openai-api.*}.
 *
 * @param model   the model id that {@code GET /v1/models} lists and that a chat completion must name (default
 *                {@code kb}); it stands for the whole pipeline, whatever tier answers
 * @param ownedBy the {@code owned_by} of that model (default {@code kb})
 */
@ConfigurationProperties("kb.inference.openai-api")
public record OpenAiApiProperties(String model, String ownedBy) {

    /** Fills in the defaults and checks the id. */
    public OpenAiApiProperties {
        model = model == null ? "kb" : model.strip();
        ownedBy = ownedBy == null ? "kb" : ownedBy.strip();
        if (model.isEmpty() || model.contains("/") || model.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "kb.inference.openai-api.model must be a non-blank id without '/' or spaces, was '" + model + "'");
        }
        if (ownedBy.isEmpty()) {
            throw new IllegalArgumentException("kb.inference.openai-api.owned-by must not be blank");
        }
    }
}
