package io.kb.retrieval.fusion;

import java.util.List;

import io.kb.retrieval.index.ChunkHit;

/**
 * Stage 4 of a search: one ranking from the rankings of several retrievers. Implementations:
 * {@link ReciprocalRankFusion} (by ranks alone) and {@link ScoreFusion} (by scores normalised per ranking); which
 * one the service uses is {@link FusionMethod}'s choice, set by {@code kb.retrieval.search.fusion}.
 */
public interface ResultFuser {

    /** One retriever's ranking and the weight it carries in the fusion. */
    record Ranking(String retriever, List<ChunkHit> hits, double weight) {
    }

    /** @return at most {@code limit} hits, best first, each scored by the fusion */
    List<ChunkHit> fuse(List<Ranking> rankings, int limit);
}
