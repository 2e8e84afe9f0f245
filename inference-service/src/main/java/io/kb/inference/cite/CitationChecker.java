package io.kb.inference.cite;

import io.kb.inference.context.Source;
import io.kb.inference.generate.Refusals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stage 5 of the pipeline: keeps the citation markers that point at a source ({@code [2]}, {@code [1, 3]},
 * {@code [1][3]}), removes the others, and decides whether the answer is supported at all: an answer that cites
 * nothing is not grounded, so the asker gets the refusal instead of it.
 */
public final class CitationChecker {

    /** A marker: one or more source numbers in square brackets. */
    static final Pattern MARKER = Pattern.compile("\\s?\\[(\\d{1,3}(?:\\s*,\\s*\\d{1,3})*)]");

    /**
     * @param text     the generated answer
     * @param sources  the sources it was generated from
     * @param language the answer's language, for the refusal
     * @return the checked answer
     */
    public CitedAnswer check(String text, List<Source> sources, Locale language) {
        Map<Integer, Source> byNumber = new LinkedHashMap<>();
        sources.forEach(s -> byNumber.put(s.number(), s));
        Map<Integer, Source> cited = new LinkedHashMap<>();
        Matcher m = MARKER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<Integer> valid = new ArrayList<>();
            for (String n : m.group(1).split(",")) {
                int number = Integer.parseInt(n.strip());
                if (byNumber.containsKey(number)) {
                    valid.add(number);
                    cited.putIfAbsent(number, byNumber.get(number));
                }
            }
            String replacement = valid.isEmpty() ? "" : m.group().substring(0, m.group().indexOf('['))
                    + "[" + String.join(", ", valid.stream().map(String::valueOf).toList()) + "]";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        String checked = out.toString().strip();
        if (Refusals.isRefusal(checked) || cited.isEmpty()) {
            return new CitedAnswer(Refusals.of(language), List.of(), true);
        }
        return new CitedAnswer(checked, List.copyOf(cited.values()), false);
    }
}
