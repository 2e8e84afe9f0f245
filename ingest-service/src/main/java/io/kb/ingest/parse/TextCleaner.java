package io.kb.ingest.parse;

import java.text.Normalizer;

/**
 * Cleans extracted text: Unicode NFC, no control or invisible formatting characters, and whitespace
 * normalised by the kind of block (prose becomes one line, code keeps its lines, a table one row per line).
 */
final class TextCleaner {

    private TextCleaner() {
    }

    /** Cleans the text of a block of the given kind; the result may be empty. */
    static String clean(BlockKind kind, String raw) {
        String text = normalize(raw);
        return switch (kind) {
            case CODE -> code(text);
            case TABLE -> lines(text);
            default -> prose(text);
        };
    }

    /** Cleans a metadata value or a title: one line of prose. */
    static String cleanLine(String raw) {
        return raw == null ? "" : prose(normalize(raw));
    }

    /**
     * NFC; line breaks as {@code \n}; other whitespace as a space (tabs kept); control characters,
     * byte order marks, soft hyphens, zero-width spaces, bidi controls, lone surrogates and the
     * replacement character dropped.
     */
    static String normalize(String raw) {
        String text = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '\n' || c == '\u2028' || c == '\u2029' || c == '\u000B' || c == '\u000C') {
                out.append('\n');
            } else if (c == '\t') {
                out.append('\t');
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    out.append(c).append(text.charAt(++i));
                }
            } else if (Character.isLowSurrogate(c) || dropped(c)) {
                continue;
            } else if (Character.isSpaceChar(c)) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean dropped(char c) {
        return Character.getType(c) == Character.CONTROL
                || c == '\uFEFF' || c == '\u00AD' || c == '\u200B' || c == '\u2060' || c == '\uFFFD'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E' || c == '\u200F';
    }

    /**
     * One line: runs of whitespace become one space, except that a line break between two CJK
     * characters disappears (Chinese has no spaces, and PDF lines break anywhere).
     */
    static String prose(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                int j = i;
                boolean lineBreak = false;
                while (j < n && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '\n')) {
                    lineBreak |= text.charAt(j) == '\n';
                    j++;
                }
                boolean joinCjk = lineBreak && !out.isEmpty() && j < n
                        && isCjk(out.charAt(out.length() - 1)) && isCjk(text.charAt(j));
                if (!out.isEmpty() && j < n && !joinCjk) {
                    out.append(' ');
                }
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Code: trailing spaces and blank lines at the ends removed, inner line breaks kept. */
    private static String code(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        for (String line : lines) {
            out.append(line.stripTrailing()).append('\n');
        }
        String joined = out.toString();
        int start = 0;
        while (start < joined.length() && joined.charAt(start) == '\n') {
            start++;
        }
        return joined.substring(start).stripTrailing();
    }

    /** One cleaned line of prose per non-empty line. */
    private static String lines(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n")) {
            String cleaned = prose(line);
            if (!cleaned.isEmpty()) {
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append(cleaned);
            }
        }
        return out.toString();
    }

    /** Han ideographs, kana, hangul and CJK punctuation: scripts written without spaces between words. */
    static boolean isCjk(char c) {
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || (c >= '\u3000' && c <= '\u303F') || (c >= '\uFF00' && c <= '\uFFEF');
    }
}
