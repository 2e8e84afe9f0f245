package io.kb.ingest.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds sentence boundaries in Chinese and English text, as spans into the text.
 *
 * <p>Chinese sentences end at {@code 。！？；} and their other widths ({@code ｡ ．}, and {@code ! ? ;}
 * right after a CJK character); no space needs to follow. English sentences end at {@code . ! ?}
 * followed by white space and a character that is not a lower-case letter; a period after a common
 * abbreviation ({@code e.g.}, {@code Dr.}, {@code U.S.}), an initial ({@code J.}) or inside a number
 * ({@code 3.14}) does not end a sentence. Closing quotes and brackets stay with their sentence.
 */
final class SentenceSplitter {

    private static final Set<String> ABBREVIATIONS = Set.of(
            "e.g", "i.e", "cf", "vs", "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "no", "nos", "fig", "figs",
            "approx", "al", "inc", "ltd", "co", "corp", "dept", "gen", "gov", "mt", "vol", "pp", "ca", "est", "rev",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
            "e.u", "u.n", "a.m", "p.m", "ph.d", "et al", "resp", "incl", "min", "max", "ref", "sec", "ch");

    private SentenceSplitter() {
    }

    /**
     * @return the sentences of {@code text[from, to)} as {@code {start, end}} pairs, in order, without
     *         surrounding white space; together they cover every non-white character of the range
     */
    static List<int[]> split(String text, int from, int to) {
        List<int[]> sentences = new ArrayList<>();
        int start = skipSpace(text, from, to);
        int i = start;
        while (i < to) {
            char c = text.charAt(i);
            int end = -1;
            if (isChineseTerminator(text, i, to)) {
                end = closers(text, i + 1, to);
            } else if (c == '.' || c == '!' || c == '?') {
                int after = closers(text, i + 1, to);
                if (endsEnglishSentence(text, i, after, to)) {
                    end = after;
                }
            }
            if (end > 0) {
                add(sentences, text, start, end);
                start = skipSpace(text, end, to);
                i = start;
            } else {
                i++;
            }
        }
        add(sentences, text, start, to);
        return sentences;
    }

    private static boolean isChineseTerminator(String text, int i, int to) {
        char c = text.charAt(i);
        if (c == '。' || c == '｡' || c == '！' || c == '？' || c == '；') {
            return true;
        }
        if (c == '．' && i > 0 && isCjk(text.charAt(i - 1)) && !Character.isDigit(text.charAt(i - 1))) {
            return true;
        }
        // Half-width marks end a sentence inside Chinese text, where no space follows them.
        if ((c == '!' || c == '?' || c == ';') && i > 0 && isCjk(text.charAt(i - 1))) {
            return i + 1 >= to || isCjk(text.charAt(i + 1)) || Character.isWhitespace(text.charAt(i + 1));
        }
        return false;
    }

    private static boolean endsEnglishSentence(String text, int mark, int after, int to) {
        // Further terminators ("?!", "...") belong to this one: only the last may end the sentence.
        int j = after;
        if (j < to && (text.charAt(j) == '.' || text.charAt(j) == '!' || text.charAt(j) == '?')) {
            return false;
        }
        if (j >= to) {
            return true;
        }
        if (isCjk(text.charAt(j))) {
            return true;
        }
        if (!Character.isWhitespace(text.charAt(j))) {
            return false;
        }
        int next = skipSpace(text, j, to);
        if (next < to && Character.isLowerCase(text.charAt(next))) {
            return false;
        }
        return text.charAt(mark) != '.' || !isAbbreviation(text, mark);
    }

    private static boolean isAbbreviation(String text, int period) {
        int start = period;
        while (start > 0 && !Character.isWhitespace(text.charAt(start - 1)) && text.charAt(start - 1) != '(') {
            start--;
        }
        String word = text.substring(start, period).toLowerCase(Locale.ROOT);
        if (word.isEmpty()) {
            return false;
        }
        if (word.length() == 1 && Character.isLetter(word.charAt(0))) {
            return true;
        }
        // Dotted abbreviations such as "U.S" or "e.g" before the final period.
        if (word.matches("(?:\\p{L}\\.)+\\p{L}")) {
            return true;
        }
        return ABBREVIATIONS.contains(word);
    }

    private static int closers(String text, int i, int to) {
        while (i < to && "\"')]}”’」』）》】".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String text, int i, int to) {
        while (i < to && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static void add(List<int[]> sentences, String text, int start, int end) {
        int e = end;
        while (e > start && Character.isWhitespace(text.charAt(e - 1))) {
            e--;
        }
        if (e > start) {
            sentences.add(new int[] {start, e});
        }
    }

    static boolean isCjk(char c) {
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || (c >= '\u3000' && c <= '\u303F') || (c >= '\uFF00' && c <= '\uFFEF');
    }
}
