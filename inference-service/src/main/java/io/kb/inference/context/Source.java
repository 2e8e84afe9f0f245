package io.kb.inference.context;

/**
 * One numbered source of an answer: a retrieved chunk that went into the context, and what a citation shows.
 *
 * @param number      the marker number, from 1: {@code [1]} cites the first source
 * @param documentId  the document
 * @param title       the document's title, or {@code null}
 * @param chunkId     the chunk
 * @param text        the chunk's text as given to the generator
 * @param page        the page the chunk starts on, or {@code null} for formats without pages
 * @param startOffset where the chunk starts in the parsed document's text
 * @param endOffset   where it ends
 * @param score       the retrieval score
 */
public record Source(int number, String documentId, String title, String chunkId, String text, Integer page,
        int startOffset, int endOffset, double score) {

    /** Checks the number and the text. */
    public Source {
        if (number < 1) {
            throw new IllegalArgumentException("source numbers start at 1");
        }
        if (documentId == null || chunkId == null || text == null) {
            throw new IllegalArgumentException("documentId, chunkId and text are required");
        }
    }
}
