package io.kb.inference.generate;

import io.kb.inference.context.Source;
import io.kb.inference.language.Languages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The prompts the model-backed tiers get, rendered from the templates under {@code prompts/} in the question's
 * language: the answer prompt demands a citation on every fact and the exact refusal sentence when the sources do
 * not answer; the condense prompt turns a follow-up into a standalone question.
 */
public final class Prompts {

    private final int maxSentences;

    /** @param maxSentences the answer length the prompt asks for */
    public Prompts(int maxSentences) {
        this.maxSentences = maxSentences;
    }

    /**
     * The chat messages for an answer: the rules, then the earlier turns, then the sources and the question.
     *
     * @param question the standalone question
     * @param language the answer's language
     * @param sources  the numbered sources
     * @param history  earlier turns of the conversation, oldest first
     */
    public List<PromptMessage> answer(String question, Locale language, List<Source> sources,
            List<PromptMessage> history) {
        String lang = Languages.isChinese(language) ? "zh" : "en";
        String system = template("answer." + lang + ".txt")
                .replace("{refusal}", Refusals.of(language))
                .replace("{maxSentences}", Integer.toString(maxSentences));
        StringBuilder listed = new StringBuilder();
        for (Source s : sources) {
            listed.append('[').append(s.number()).append("] ");
            if (s.title() != null) {
                listed.append(s.title());
            }
            if (s.page() != null) {
                listed.append(Languages.isChinese(language) ? "（第 " + s.page() + " 页）" : " (page " + s.page() + ")");
            }
            listed.append('\n').append(s.text().strip()).append("\n\n");
        }
        String user = template("sources." + lang + ".txt")
                .replace("{sources}", listed.toString().strip())
                .replace("{question}", question);
        List<PromptMessage> messages = new ArrayList<>();
        messages.add(PromptMessage.system(system));
        messages.addAll(history);
        messages.add(PromptMessage.user(user));
        return messages;
    }

    /** The chat messages that ask a model to rewrite the last question of a conversation as a standalone one. */
    public List<PromptMessage> condense(String question, Locale language, List<PromptMessage> history) {
        String lang = Languages.isChinese(language) ? "zh" : "en";
        List<PromptMessage> messages = new ArrayList<>();
        messages.add(PromptMessage.system(template("condense." + lang + ".txt").strip()));
        messages.addAll(history);
        messages.add(PromptMessage.user(question));
        return messages;
    }

    private static String template(String name) {
        try (InputStream in = Prompts.class.getResourceAsStream("/prompts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("prompt template missing from the classpath: prompts/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
