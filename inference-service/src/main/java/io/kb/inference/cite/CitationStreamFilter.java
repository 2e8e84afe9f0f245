package io.kb.inference.cite;

import io.kb.inference.generate.TokenSink;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/**
 * Checks citation markers while an answer streams: text that may be the start of a marker is held back until the
 * marker closes, then passed on only with the numbers that point at a source, so that a reader never sees a marker
 * the final answer does not have. Holding back is bounded: a bracket that does not close within a few characters
 * was not a marker and is passed on as it is.
 */
public final class CitationStreamFilter implements TokenSink {

    private static final int LONGEST_MARKER = 16;

    private final TokenSink downstream;
    private final Supplier<Set<Integer>> validNumbers;
    private final StringBuilder held = new StringBuilder();

    /**
     * @param downstream   where checked text goes
     * @param validNumbers the source numbers the generating tier was given (asked when a marker closes, since the
     *                     policy may move to a tier with fewer sources before any text flows)
     */
    public CitationStreamFilter(TokenSink downstream, Supplier<Set<Integer>> validNumbers) {
        this.downstream = downstream;
        this.validNumbers = validNumbers;
    }

    @Override
    public void accept(String text) {
        StringBuilder ready = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (held.isEmpty()) {
                if (c == '[') {
                    held.append(c);
                } else {
                    ready.append(c);
                }
                continue;
            }
            held.append(c);
            if (c == ']') {
                ready.append(checked(held.toString()));
                held.setLength(0);
            } else if (!(Character.isDigit(c) || c == ',' || c == ' ') || held.length() > LONGEST_MARKER) {
                ready.append(held);
                held.setLength(0);
            }
        }
        if (!ready.isEmpty()) {
            downstream.accept(ready.toString());
        }
    }

    /** Passes on what is still held when the answer ends. */
    public void flush() {
        if (!held.isEmpty()) {
            downstream.accept(held.toString());
            held.setLength(0);
        }
    }

    private String checked(String candidate) {
        Matcher m = CitationChecker.MARKER.matcher(candidate);
        if (!m.matches()) {
            return candidate;
        }
        StringBuilder numbers = new StringBuilder();
        for (String n : m.group(1).split(",")) {
            int number = Integer.parseInt(n.strip());
            if (validNumbers.get().contains(number)) {
                numbers.append(numbers.isEmpty() ? "" : ", ").append(number);
            }
        }
        return numbers.isEmpty() ? "" : "[" + numbers + "]";
    }
}
