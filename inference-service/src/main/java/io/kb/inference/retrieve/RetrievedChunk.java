package io.kb.inference.retrieve;

import java.util.List;

/**
 * One chunk retrieval found.
 *
 * @param documentId  the document
 * @param title       its title, or {@code null}
 * @param chunkId     the chunk
 * @param text        the chunk's text
 * @param headingPath the headings above the chunk, outermost first
 * @param page        the page it starts on, or {@code null}
 * @param startOffset where it starts in the parsed document text
 * @param endOffset   where it ends
 * @param score       retrieval's score, comparable within one result list only
 */
public record RetrievedChunk(String documentId, String title, String chunkId, String text, List<String> headingPath,
        Integer page, int startOffset, int endOffset, double score) {

    /** Makes absent headings an empty list. */
    public RetrievedChunk {
        headingPath = headingPath == null ? List.of() : List.copyOf(headingPath);
        text = text == null ? "" : text;
    }
}
