package io.kb.inference.generate.extractive;

import io.kb.inference.context.Terms;
import io.kb.inference.language.Languages;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a chunk's text into sentences an answer can quote: paragraphs at sentence ends (Latin and CJK
 * punctuation), list items one by one, table rows rendered with their column headers ("Type of leave: Paternity;
 * Length: 4 weeks"), headings kept as context of what follows rather than as sentences.
 */
final class SentenceSplitter {

    private static final Pattern LATIN_END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\\d\"“(+±-])|(?<=[？！])");
    private static final Pattern CJK_END = Pattern.compile("(?<=[。！？；])");
    private static final Pattern LIST_MARKER = Pattern.compile("^(?:[-*+•]|\\d{1,3}[.)、])\\s+");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\(([^)]+)\\)");
    private static final Pattern TABLE_RULE = Pattern.compile("^\\|?\\s*:?-{2,}.*$");
    private static final Pattern ENDS_SENTENCE = Pattern.compile("[.!?。！？；;:：]$");
    private static final Pattern SECTION_NUMBER = Pattern.compile(
            "^(\\d+(\\.\\d+)*\\.?\\s|[一二三四五六七八九十百]+、|第[一二三四五六七八九十百]+[章条节])");
    private static final int MIN_LETTERS = 8;

    private SentenceSplitter() {
    }

    static List<Sentence> split(String text, int source) {
        List<Sentence> out = new ArrayList<>();
        Set<String> headingTerms = new HashSet<>();
        Set<String> leadTerms = new HashSet<>();
        List<String> header = null;
        boolean inTable = false;
        boolean first = true;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                inTable = false;
                continue;
            }
            boolean firstLine = first;
            first = false;
            if (isTableRow(line)) {
                if (TABLE_RULE.matcher(line).matches()) {
                    continue;
                }
                List<String> cells = cells(line);
                if (!inTable) {
                    header = cells;
                    inTable = true;
                    continue;
                }
                Set<String> context = new HashSet<>(headingTerms);
                context.addAll(leadTerms);
                context.addAll(Terms.of(String.join(" ", header)));
                add(out, row(header, cells), source, context);
                continue;
            }
            inTable = false;
            if (isHeading(line, firstLine)) {
                headingTerms = new HashSet<>(Terms.of(clean(line.replaceFirst("^#+", ""))));
                leadTerms = new HashSet<>();
                continue;
            }
            if (line.chars().filter(c -> c == '·').count() >= 2) {
                // "Owner: ... · Applies to: ... · Version ...": a document's metadata line, not a statement.
                continue;
            }
            String item = LIST_MARKER.matcher(line).replaceFirst("");
            if (item.endsWith("?") || item.endsWith("？") || item.endsWith(":") || item.endsWith("：")) {
                // A question (FAQ) or the lead-in of a list says what the following lines are about.
                leadTerms = new HashSet<>(Terms.of(clean(item)));
                continue;
            }
            Set<String> context = new HashSet<>(headingTerms);
            context.addAll(leadTerms);
            for (String latin : LATIN_END.split(item)) {
                for (String sentence : CJK_END.split(latin)) {
                    String t = sentence.strip();
                    if (t.endsWith("?") || t.endsWith("？")) {
                        leadTerms = new HashSet<>(Terms.of(clean(t)));
                        context = new HashSet<>(headingTerms);
                        context.addAll(leadTerms);
                        continue;
                    }
                    add(out, sentence, source, context);
                }
            }
        }
        return out;
    }

    /** A line of a table: Markdown's {@code | a | b |} or the {@code a | b} rows a parser makes of tables. */
    private static boolean isTableRow(String line) {
        return line.startsWith("|") || line.contains(" | ");
    }

    /**
     * A heading: Markdown's {@code #}, or a short line without closing punctuation that is numbered like a section
     * ("5. Carry-over", "四、酒店住宿", "第三条") or opens the chunk (the document's title or a section's name).
     */
    private static boolean isHeading(String line, boolean firstLine) {
        if (line.startsWith("#")) {
            return true;
        }
        if (line.length() > 80 || ENDS_SENTENCE.matcher(line).find()) {
            return false;
        }
        return firstLine || SECTION_NUMBER.matcher(line).find();
    }

    private static void add(List<Sentence> out, String sentence, int source, Set<String> context) {
        String text = clean(sentence);
        long letters = text.codePoints().filter(Character::isLetterOrDigit).count();
        if (letters < MIN_LETTERS) {
            return;
        }
        out.add(new Sentence(text, source, out.size(), new HashSet<>(Terms.of(text)), Set.copyOf(context),
                Languages.isChinese(Languages.of(text))));
    }

    private static List<String> cells(String line) {
        String inner = line.replaceAll("^\\|", "").replaceAll("\\|$", "");
        List<String> cells = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) {
            cells.add(clean(c));
        }
        return cells;
    }

    private static String row(List<String> header, List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).isEmpty()) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append("; ");
            }
            String name = header != null && i < header.size() ? header.get(i) : "";
            b.append(name.isEmpty() ? "" : name + ": ").append(cells.get(i));
        }
        return b.toString();
    }

    /** Markdown emphasis, code marks and link syntax removed; links keep their text and address. */
    static String clean(String s) {
        Matcher m = LINK.matcher(s);
        String t = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1).equals(r.group(2)) ? r.group(1)
                : r.group(1) + " (" + r.group(2) + ")"));
        return t.replace("**", "").replace("__", "").replace("`", "").replaceAll("\\s+", " ").strip();
    }
}
