package io.kb.inference.generate;

import io.kb.inference.language.Languages;
import java.util.Locale;

/**
 * What an answer says when the sources do not support one, per language. Every tier uses the same words (the LLM
 * prompts ask for them verbatim), so the pipeline and the chat page can tell a refusal from an answer.
 */
public final class Refusals {

    private static final String ENGLISH = "I could not find the answer in the documents you have access to.";
    private static final String CHINESE = "在您有权访问的文档中没有找到这个问题的答案。";

    private Refusals() {
    }

    /** The refusal in the language. */
    public static String of(Locale language) {
        return Languages.isChinese(language) ? CHINESE : ENGLISH;
    }

    /** Whether the text is a refusal (in either language), ignoring surrounding whitespace and citation markers. */
    public static boolean isRefusal(String text) {
        String t = text.replaceAll("\\[\\d+]", "").strip();
        return t.startsWith(ENGLISH.substring(0, ENGLISH.length() - 1)) || t.startsWith(CHINESE.substring(0,
                CHINESE.length() - 1));
    }
}
