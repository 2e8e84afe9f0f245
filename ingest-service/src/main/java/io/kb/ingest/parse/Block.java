package io.kb.ingest.parse;

import java.util.List;
import java.util.Objects;

/**
 * One structural block of a parsed document, in reading order.
 *
 * <p>{@code document.text().substring(startOffset, endOffset)} is exactly {@link #text()}.
 *
 * @param kind what the block is
 * @param level the heading level, 1 to 6, for {@link BlockKind#HEADING}; 0 for every other kind
 * @param text the cleaned text of the block, not blank; a table has one row per line with cells
 *        separated by {@code " | "}
 * @param page the page (PDF) or slide (PPTX) the block is on, from 1; null when the format has no pages
 * @param headingPath the headings the block sits under, outermost first; a heading's path ends with
 *        the heading itself
 * @param startOffset where the block starts in the document text, in UTF-16 characters
 * @param endOffset where the block ends in the document text, exclusive
 */
public record Block(BlockKind kind, int level, String text, Integer page, List<String> headingPath,
        int startOffset, int endOffset) {

    /** Checks the components and copies the heading path. */
    public Block {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        headingPath = List.copyOf(headingPath);
        if ((kind == BlockKind.HEADING) != (level > 0) || level < 0 || level > 6) {
            throw new IllegalArgumentException("level must be 1..6 for headings and 0 otherwise, was " + level);
        }
        if (page != null && page < 1) {
            throw new IllegalArgumentException("page must be 1 or greater, was " + page);
        }
        if (startOffset < 0 || endOffset - startOffset != text.length()) {
            throw new IllegalArgumentException("offsets [" + startOffset + ", " + endOffset + ") do not span the text");
        }
    }
}
