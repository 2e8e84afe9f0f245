package io.kb.retrieval.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import io.kb.retrieval.fusion.ResultFuser.Ranking;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.Highlight;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {

    private final ReciprocalRankFusion rrf = new ReciprocalRankFusion(60);

    @Test
    void scoresEachChunkByTheSumOfItsReciprocalRanks() {
        List<ChunkHit> fused = rrf.fuse(List.of(
                new Ranking("dense", List.of(hit("a"), hit("b"), hit("c")), 1.0),
                new Ranking("bm25", List.of(hit("c"), hit("a")), 1.0)), 10);

        assertThat(fused).extracting(ChunkHit::chunkId).containsExactly("a", "c", "b");
        assertThat(fused.get(0).score()).isCloseTo((float) (1 / 61.0 + 1 / 62.0), within(1e-6f));
        assertThat(fused.get(1).score()).isCloseTo((float) (1 / 63.0 + 1 / 61.0), within(1e-6f));
        assertThat(fused.get(2).score()).isCloseTo((float) (1 / 62.0), within(1e-6f));
    }

    @Test
    void weightsShiftTheBalanceBetweenRetrievers() {
        List<Ranking> rankings = List.of(
                new Ranking("dense", List.of(hit("d")), 1.0),
                new Ranking("bm25", List.of(hit("b")), 3.0));

        assertThat(rrf.fuse(rankings, 10)).extracting(ChunkHit::chunkId).containsExactly("b", "d");
    }

    @Test
    void keepsTheLimitAndTakesHighlightsFromWhicheverRankingHasThem() {
        ChunkHit plain = hit("a");
        ChunkHit highlighted = hit("a").withHighlights(List.of(new Highlight(0, 3)));

        List<ChunkHit> fused = rrf.fuse(List.of(
                new Ranking("dense", List.of(plain, hit("b"), hit("c")), 1.0),
                new Ranking("bm25", List.of(highlighted), 1.0)), 2);

        assertThat(fused).hasSize(2);
        assertThat(fused.getFirst().highlights()).containsExactly(new Highlight(0, 3));
    }

    private static ChunkHit hit(String id) {
        return new ChunkHit(id, "doc-" + id, 1, 0, "T", null, "text " + id, List.of(), null, 0, 6, 0.5f, null, null);
    }
}
