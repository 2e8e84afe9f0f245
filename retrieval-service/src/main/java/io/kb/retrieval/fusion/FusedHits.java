package io.kb.retrieval.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.kb.retrieval.index.ChunkHit;

/** What every fuser does once it has summed a score per chunk: one hit per chunk, and the best of them in order. */
final class FusedHits {

    private FusedHits() {
    }

    /**
     * @param scores the fused score of each chunk, in order of first appearance
     * @param hits   the hit kept for each chunk
     * @param limit  how many to return at most
     * @return the best-scored hits, best first, each carrying its fused score; ties keep the order of first
     *         appearance (the sort is stable), so the result is deterministic
     */
    static List<ChunkHit> best(Map<String, Double> scores, Map<String, ChunkHit> hits, int limit) {
        List<String> order = new ArrayList<>(scores.keySet());
        order.sort(Comparator.comparingDouble((String id) -> scores.get(id)).reversed());
        List<ChunkHit> fused = new ArrayList<>(Math.min(limit, order.size()));
        for (String id : order.subList(0, Math.min(limit, order.size()))) {
            fused.add(hits.get(id).withScore(scores.get(id).floatValue()));
        }
        return fused;
    }

    /** The hit kept for a chunk found by two retrievers: the first one, with the other's highlights if it has none. */
    static ChunkHit withHighlightsOf(ChunkHit kept, ChunkHit other) {
        return kept.highlights().isEmpty() && !other.highlights().isEmpty()
                ? kept.withHighlights(other.highlights()) : kept;
    }
}
