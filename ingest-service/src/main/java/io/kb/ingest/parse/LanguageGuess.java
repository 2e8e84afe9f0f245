package io.kb.ingest.parse;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cheap guess at a text's main language from a sample of its characters: Chinese when Han
 * characters are a large share of the letters, English when Latin letters dominate and common
 * English words are frequent, otherwise no guess. Enough to pick a tokenizer, not a language detector.
 * Public for the retrieval evaluator of {@code kb eval retrieval}, which picks a corpus's model by the same rule.
 */
public final class LanguageGuess {

    private static final int SAMPLE = 20_000;
    private static final Set<String> ENGLISH = Set.of("the", "and", "of", "to", "in", "is", "a", "for", "that",
            "with", "on", "are", "this", "be", "as", "it", "by", "or", "we", "you", "from", "at", "not", "have");
    private static final Pattern NOT_LETTERS = Pattern.compile("[^\\p{L}]+");

    private LanguageGuess() {
    }

    /**
     * @param text any text; only its first 20,000 characters are read
     * @return {@code zh}, {@code en}, or null when neither is a safe guess
     */
    public static String of(String text) {
        String sample = text.length() > SAMPLE ? text.substring(0, SAMPLE) : text;
        int han = 0;
        int latin = 0;
        for (int i = 0; i < sample.length(); i++) {
            char c = sample.charAt(i);
            if (c < 0x80) {
                // The Unicode script tables are a binary search; an ASCII letter is Latin, anything else no letter.
                char lower = (char) (c | 0x20);
                if (lower >= 'a' && lower <= 'z') {
                    latin++;
                }
            } else if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                han++;
            } else if (Character.isLetter(c) && Character.UnicodeScript.of(c) == Character.UnicodeScript.LATIN) {
                latin++;
            }
        }
        // A Han character carries about as much as a short English word; weigh them so.
        if (han > 0 && han * 4 >= latin) {
            return "zh";
        }
        if (latin == 0) {
            return null;
        }
        String[] words = NOT_LETTERS.split(sample.toLowerCase(Locale.ROOT));
        int english = 0;
        int all = 0;
        for (String word : words) {
            if (!word.isEmpty()) {
                all++;
                if (ENGLISH.contains(word)) {
                    english++;
                }
            }
        }
        return all > 0 && english * 10 >= all ? "en" : null;
    }
}
