package io.kb.retrieval.index;

/**
 * A stretch of a chunk's text that matched a BM25 query, for the UI to show in bold: the characters
 * {@code text.substring(start, end)}.
 *
 * @param start the first character, from 0
 * @param end the character after the last; greater than {@code start}
 */
public record Highlight(int start, int end) {

    /** Checks that the stretch is not empty. */
    public Highlight {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("a highlight needs 0 <= start < end, was [" + start + ", " + end + ")");
        }
    }
}
