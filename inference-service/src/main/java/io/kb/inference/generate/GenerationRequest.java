package io.kb.inference.generate;

import io.kb.inference.context.Source;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Everything a generator may need: model-backed adapters send {@link #messages()}, the extractive one reads
 * {@link #question()} and {@link #sources()}.
 *
 * @param question  the standalone question
 * @param language  the question's language ({@code en}, {@code zh}, ...), which the answer must use
 * @param sources   the numbered sources, {@code [1]} first
 * @param messages  the prompt rendered from the language's template: system, then earlier turns, then the user turn
 * @param maxTokens the most tokens the answer may have
 * @param deadline  when the whole generation must have finished
 */
public record GenerationRequest(
        String question,
        Locale language,
        List<Source> sources,
        List<PromptMessage> messages,
        int maxTokens,
        Instant deadline) {

    /** Copies the lists; checks that a question, a deadline and a positive budget are present. */
    public GenerationRequest {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("question must not be blank");
        }
        if (language == null || deadline == null) {
            throw new IllegalArgumentException("language and deadline are required");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1");
        }
        sources = sources == null ? List.of() : List.copyOf(sources);
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
