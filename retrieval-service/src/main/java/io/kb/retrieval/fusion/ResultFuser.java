package io.kb.retrieval.fusion;

import java.util.List;

import io.kb.retrieval.index.ChunkHit;

/** Stage 4 of a search: one ranking from the rankings of several retrievers. */
public interface ResultFuser {

    /** One retriever's ranking and the weight it carries in the fusion. */
    record Ranking(String retriever, List<ChunkHit> hits, double weight) {
    }

    /** @return at most {@code limit} hits, best first, each scored by the fusion */
    List<ChunkHit> fuse(List<Ranking> rankings, int limit);
}
