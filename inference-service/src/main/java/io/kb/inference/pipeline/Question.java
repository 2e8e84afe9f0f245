package io.kb.inference.pipeline;

import io.kb.inference.generate.PromptMessage;
import java.util.List;

/**
 * A question to answer.
 *
 * @param text     the question as asked
 * @param history  the conversation before it, oldest first
 * @param asker    who asks
 * @param useCache whether a cached answer may be served
 */
public record Question(String text, List<PromptMessage> history, Asker asker, boolean useCache) {

    /** Copies the history. */
    public Question {
        history = history == null ? List.of() : List.copyOf(history);
    }
}
