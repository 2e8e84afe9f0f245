package io.kb.inference.context;

/**
 * Estimates how many tokens a text takes in a model's tokenizer without loading one: about one token per CJK
 * character and four characters per token elsewhere, which errs high for English prose, so budgets hold.
 */
public final class TokenEstimator {

    private TokenEstimator() {
    }

    /** The estimated token count of the text; at least 1 for a non-empty text. */
    public static int estimate(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int cjk = 0;
        int other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                cjk++;
            } else {
                other++;
            }
        }
        return Math.max(1, cjk + (other + 3) / 4);
    }
}
