package io.kb.retrieval.fusion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kb.retrieval.index.ChunkHit;

/**
 * Reciprocal rank fusion: a chunk's score is the sum over the rankings that contain it of
 * {@code weight / (k + rank)}, rank counted from 1. Only ranks matter, so dense cosine similarities and BM25 scores,
 * which live on different scales, need no normalisation. Ties keep the order of first appearance, so the result is
 * deterministic. The hit kept for a chunk is the one from the first ranking that has it, with its highlights merged
 * in from the others.
 */
public final class ReciprocalRankFusion implements ResultFuser {

    private final int k;

    public ReciprocalRankFusion(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("the RRF constant must be at least 1");
        }
        this.k = k;
    }

    /** The RRF constant: larger flattens the difference between ranks. */
    public int k() {
        return k;
    }

    @Override
    public List<ChunkHit> fuse(List<Ranking> rankings, int limit) {
        Map<String, ChunkHit> hits = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Ranking ranking : rankings) {
            List<ChunkHit> list = ranking.hits();
            for (int i = 0; i < list.size(); i++) {
                ChunkHit hit = list.get(i);
                scores.merge(hit.chunkId(), ranking.weight() / (k + i + 1.0), Double::sum);
                hits.merge(hit.chunkId(), hit, FusedHits::withHighlightsOf);
            }
        }
        return FusedHits.best(scores, hits, limit);
    }
}
