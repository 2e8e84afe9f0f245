package io.kb.retrieval.index;

import java.util.List;

import io.kb.retrieval.access.Caller;

/**
 * A chunk index that runs dense and BM25 search and their reciprocal rank fusion as one engine request, so that
 * both lists are filtered, ranked and fused next to the data. An optional capability: the search stage uses it when
 * the index has it and the configured fusion is RRF with equal weights, and otherwise runs the two searches of
 * {@link ChunkIndex} and fuses them itself.
 *
 * <p>Implementations: {@code MilvusChunkIndex} ({@code hybridSearch} with an RRF ranker).
 */
public interface HybridChunkIndex extends ChunkIndex {

    /**
     * The best chunks of both searches by reciprocal rank fusion, among those the caller may read and the filter
     * admits: a chunk at rank {@code r} of a list (from 1) scores {@code 1 / (rrfK + r)} for that list, and the
     * scores of both lists add up.
     *
     * @param caller who is searching; decides which chunks may be returned
     * @param dense the dense search; its {@code k} is how many candidates the dense list contributes
     * @param bm25 the BM25 search, with the same filter as {@code dense}; its {@code k} likewise
     * @param k how many fused hits at most, 1 to {@value SearchRequest#MAX_K}
     * @param rrfK the fusion constant, at least 1: larger flattens the difference between ranks
     * @return at most {@code k} hits, best first, with the fused score
     * @throws IllegalArgumentException when a request has the wrong mode, or the filters differ
     * @throws EmbeddingMismatchException when the query vector's dimension differs from the index's
     */
    List<ChunkHit> searchHybrid(Caller caller, SearchRequest dense, SearchRequest bm25, int k, int rrfK);
}
