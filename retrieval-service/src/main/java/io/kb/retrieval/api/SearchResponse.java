package io.kb.retrieval.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.Highlight;

/**
 * The answer of {@code POST /api/v1/search}.
 *
 * @param query    the query as received
 * @param mode     the mode that ran
 * @param hits     best first
 * @param degraded     why the answer is not what the mode asked for (e.g. BM25 alone), absent when it is
 * @param reranked     whether the hits are in the reranker's order; absent when the service has no reranker
 * @param rerankReason why they are not (opted out, the reranker down, slow or malformed, its circuit open); absent
 *                     when they are
 * @param timings      milliseconds by stage ({@code embed}, {@code dense}, {@code bm25}, {@code fuse}, and
 *                     {@code rerank} when the reranker was called)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResponse(String query, String mode, List<Hit> hits, String degraded, Boolean reranked,
        String rerankReason, Map<String, Double> timings) {

    /**
     * One chunk, with what a citation needs to point into its source.
     *
     * @param documentId  the document
     * @param title       its title
     * @param chunkId     the chunk
     * @param text        the chunk's text
     * @param headingPath the headings above it
     * @param page        the page, when the source has pages
     * @param startOffset where the chunk starts in the parsed document's text
     * @param endOffset   where it ends
     * @param score       the score of the mode that ran (fused score in hybrid mode), or the reranker's score when
     *                    reranked
     * @param highlights  character ranges of the text that matched the query's words
     * @param source      where the document came from
     * @param metadata    the document's metadata
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hit(String documentId, String title, String chunkId, String text, List<String> headingPath,
            Integer page, int startOffset, int endOffset, float score, List<Highlight> highlights, String source,
            Map<String, String> metadata) {

        static Hit of(ChunkHit h) {
            return new Hit(h.documentId(), h.title(), h.chunkId(), h.text(), h.headingPath(), h.page(),
                    h.startOffset(), h.endOffset(), h.score(), h.highlights(), h.source(), h.metadata());
        }
    }
}
