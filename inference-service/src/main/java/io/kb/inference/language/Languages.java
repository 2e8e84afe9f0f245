package io.kb.inference.language;

import java.util.Locale;

/**
 * Tells the language an answer must be written in from the question's script: Chinese when a fifth or more of its
 * letters are CJK ideographs, English otherwise. The platform ships prompts and refusals for these two.
 */
public final class Languages {

    public static final Locale ENGLISH = Locale.ENGLISH;
    public static final Locale CHINESE = Locale.CHINESE;

    private Languages() {
    }

    /** The question's language: {@link #CHINESE} or {@link #ENGLISH}. */
    public static Locale of(String text) {
        int letters = 0;
        int ideographs = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                letters++;
                if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                    ideographs++;
                }
            }
        }
        return letters > 0 && ideographs * 5 >= letters ? CHINESE : ENGLISH;
    }

    /** Whether the locale is Chinese. */
    public static boolean isChinese(Locale language) {
        return "zh".equals(language.getLanguage());
    }
}
