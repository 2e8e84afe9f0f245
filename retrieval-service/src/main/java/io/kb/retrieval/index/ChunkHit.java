package io.kb.retrieval.index;

import java.util.List;
import java.util.Map;

/**
 * One chunk a search found, with what a citation and the UI need.
 *
 * @param chunkId the chunk's id
 * @param documentId the document the chunk belongs to
 * @param version the document version the chunk was made from
 * @param ordinal the chunk's position in the document, from 0
 * @param title the document title; {@code null} when the document has none
 * @param source where the document came from; {@code null} when unknown
 * @param text the chunk's text
 * @param headingPath the headings above the chunk, outermost first
 * @param page the page the chunk starts on, from 1; {@code null} for formats without pages
 * @param startOffset where the chunk starts in the parsed document text
 * @param endOffset where the chunk ends (exclusive) in the parsed document text
 * @param score the engine's relevance, higher is better, comparable only within one result list
 *        (dense: cosine similarity mapped to [0, 1]; BM25: unbounded)
 * @param metadata the document's metadata
 * @param highlights the stretches of {@code text} that matched a BM25 query, in order, not overlapping;
 *        empty for dense hits
 */
public record ChunkHit(
        String chunkId,
        String documentId,
        long version,
        int ordinal,
        String title,
        String source,
        String text,
        List<String> headingPath,
        Integer page,
        int startOffset,
        int endOffset,
        float score,
        Map<String, String> metadata,
        List<Highlight> highlights) {

    /** Makes the collections unmodifiable copies; absent ones become empty. */
    public ChunkHit {
        headingPath = headingPath == null ? List.of() : List.copyOf(headingPath);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        highlights = highlights == null ? List.of() : List.copyOf(highlights);
    }

    /** The same hit with another score, as a fusion stage assigns it. */
    public ChunkHit withScore(float newScore) {
        return new ChunkHit(chunkId, documentId, version, ordinal, title, source, text, headingPath, page, startOffset,
                endOffset, newScore, metadata, highlights);
    }

    /** The same hit with other highlights. */
    public ChunkHit withHighlights(List<Highlight> newHighlights) {
        return new ChunkHit(chunkId, documentId, version, ordinal, title, source, text, headingPath, page, startOffset,
                endOffset, score, metadata, newHighlights);
    }
}
