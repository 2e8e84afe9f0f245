package io.kb.ingest.chunk;

import java.util.List;
import java.util.Objects;

/**
 * One passage cut from a parsed document, before it is embedded.
 *
 * <p>Offset rule: {@code document.text().substring(startOffset, endOffset)} equals {@link #text()}
 * exactly, always. When a chunk begins with an overlap (the end of the previous chunk repeated for
 * context), the overlap is part of the text and the offsets cover it, so consecutive chunks' ranges
 * may intersect.
 *
 * @param text the passage, not blank
 * @param headingPath the headings the passage sits under, outermost first; may be empty
 * @param page the page or slide the passage starts on, from 1; null for formats without pages
 * @param startOffset where the passage starts in the document text, in UTF-16 characters
 * @param endOffset where it ends, exclusive
 * @param tokenCount the passage's length in tokens of the embedding model's tokenizer
 */
public record TextChunk(String text, List<String> headingPath, Integer page, int startOffset, int endOffset,
        int tokenCount) {

    /** Checks the components and copies the heading path. */
    public TextChunk {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("a chunk has text");
        }
        headingPath = List.copyOf(headingPath);
        if (startOffset < 0 || endOffset - startOffset != text.length()) {
            throw new IllegalArgumentException("offsets [" + startOffset + ", " + endOffset + ") do not span the text");
        }
        if (tokenCount < 0) {
            throw new IllegalArgumentException("tokenCount must not be negative");
        }
    }
}
