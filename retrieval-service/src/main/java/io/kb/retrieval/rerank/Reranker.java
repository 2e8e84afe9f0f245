package io.kb.retrieval.rerank;

import java.util.List;

import io.kb.retrieval.index.ChunkHit;

/**
 * Stage 5 of a search: scores the fused candidates against the query with a model that reads both together
 * (a cross-encoder), which orders them better than the rank fusion of two retrievers can. Implementations:
 * {@link io.kb.retrieval.rerank.triton.TritonReranker} (a cross-encoder hosted in Triton Inference Server).
 *
 * <p>A reranker only scores: it answers one number per candidate it was given and cannot add, replace or drop a
 * hit. The candidates are hits that the index query already filtered by the caller's tenant and principals, so
 * reranking never widens what a caller sees; {@link RerankStage} orders those same hits by the scores.
 */
public interface Reranker {

    /**
     * @param query      the caller's query
     * @param candidates the hits to score, best fused first; never empty
     * @return one score per candidate, in the candidates' order; higher is more relevant, comparable only within
     *         one call
     * @throws RerankerException when the model cannot be reached in time, refuses the request, or answers
     *         something that is not one finite score per candidate
     */
    float[] rerank(String query, List<ChunkHit> candidates);
}
