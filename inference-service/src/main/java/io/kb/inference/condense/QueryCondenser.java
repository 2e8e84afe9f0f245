package io.kb.inference.condense;

import io.kb.inference.generate.PromptMessage;
import java.util.List;
import java.util.Locale;

/**
 * Stage 1 of the pipeline: turns a follow-up ("and in Suzhou?") into a question retrieval can answer on its own.
 */
public interface QueryCondenser {

    /**
     * @param question the latest question
     * @param language its language
     * @param history  the conversation before it, oldest first; empty for a first question
     * @return the standalone query
     */
    String condense(String question, Locale language, List<PromptMessage> history);
}
