package io.kb.retrieval.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import io.kb.retrieval.fusion.ResultFuser.Ranking;
import io.kb.retrieval.fusion.ScoreFusion.Normalisation;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.Highlight;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of {@link ScoreFusion}, each expected score worked out here from the inputs. The scores are
 * chosen to be exact in a {@code float}, so that the only rounding is the fused score's own.
 */
class ScoreFusionTest {

    private final ScoreFusion zScore = new ScoreFusion(Normalisation.Z_SCORE);
    private final ScoreFusion minMax = new ScoreFusion(Normalisation.MIN_MAX);

    // dense: a 0.875, b 0.75, c 0.25; bm25: c 12, a 6, d 3
    private final List<Ranking> twoLists = List.of(
            new Ranking("dense", List.of(hit("a", 0.875f), hit("b", 0.75f), hit("c", 0.25f)), 1.0),
            new Ranking("bm25", List.of(hit("c", 12f), hit("a", 6f), hit("d", 3f)), 1.0));

    @Test
    void zScoresAreStandardisedPerListAndSummed() {
        double denseMean = (0.875 + 0.75 + 0.25) / 3;
        double denseSd = Math.sqrt((sq(0.875 - denseMean) + sq(0.75 - denseMean) + sq(0.25 - denseMean)) / 3);
        double bm25Mean = (12 + 6 + 3) / 3.0;
        double bm25Sd = Math.sqrt((sq(12 - bm25Mean) + sq(6 - bm25Mean) + sq(3 - bm25Mean)) / 3);
        double denseLowest = (0.25 - denseMean) / denseSd;
        double bm25Lowest = (3 - bm25Mean) / bm25Sd;

        List<ChunkHit> fused = zScore.fuse(twoLists, 10);

        assertThat(fused).extracting(ChunkHit::chunkId).containsExactly("a", "c", "b", "d");
        assertScore(fused, "a", (0.875 - denseMean) / denseSd + (6 - bm25Mean) / bm25Sd);
        assertScore(fused, "c", (0.25 - denseMean) / denseSd + (12 - bm25Mean) / bm25Sd);
        assertScore(fused, "b", (0.75 - denseMean) / denseSd + bm25Lowest);
        assertScore(fused, "d", denseLowest + bm25Lowest);
    }

    @Test
    void minMaxStretchesEachListToZeroOne() {
        List<ChunkHit> fused = minMax.fuse(twoLists, 10);

        assertThat(fused).extracting(ChunkHit::chunkId).containsExactly("a", "c", "b", "d");
        assertScore(fused, "a", 1 + (6 - 3) / (12.0 - 3));
        assertScore(fused, "c", 0 + 1);
        assertScore(fused, "b", (0.75 - 0.25) / (0.875 - 0.25) + 0);
        assertScore(fused, "d", 0 + 0);
    }

    @Test
    void aLeadInScoreOutweighsARankLostByAHair() {
        // x is far ahead in dense, and in BM25 a hair behind y and z, far above the rest; ranks alone put y first.
        List<Ranking> rankings = List.of(
                new Ranking("dense", List.of(hit("x", 1.0f), hit("y", 0.5f), hit("z", 0.46875f)), 1.0),
                new Ranking("bm25", List.of(hit("y", 10f), hit("z", 9.875f), hit("x", 9.75f), hit("w", 1f),
                        hit("v", 0.5f)), 1.0));

        assertThat(new ReciprocalRankFusion(60).fuse(rankings, 10)).extracting(ChunkHit::chunkId)
                .startsWith("y");
        assertThat(zScore.fuse(rankings, 10)).extracting(ChunkHit::chunkId).startsWith("x");
    }

    @Test
    void aChunkMissingFromAListScoresWhatThatListsLastHitScores() {
        // a is only in dense, e only in bm25; c is last in dense, e last in bm25.
        List<Ranking> rankings = List.of(
                new Ranking("dense", List.of(hit("a", 0.75f), hit("b", 0.5f), hit("c", 0.25f)), 1.0),
                new Ranking("bm25", List.of(hit("c", 8f), hit("b", 4f), hit("e", 2f)), 1.0));
        double denseMean = (0.75 + 0.5 + 0.25) / 3;
        double denseSd = Math.sqrt((sq(0.75 - denseMean) + sq(0.5 - denseMean) + sq(0.25 - denseMean)) / 3);
        double bm25Mean = (8 + 4 + 2) / 3.0;
        double bm25Sd = Math.sqrt((sq(8 - bm25Mean) + sq(4 - bm25Mean) + sq(2 - bm25Mean)) / 3);

        List<ChunkHit> fused = zScore.fuse(rankings, 10);

        assertScore(fused, "a", (0.75 - denseMean) / denseSd + (2 - bm25Mean) / bm25Sd);
        assertScore(fused, "e", (0.25 - denseMean) / denseSd + (2 - bm25Mean) / bm25Sd);
        assertThat(score(fused, "e")).as("e ranked last in bm25 and absent from dense")
                .isLessThan(score(fused, "a")).isLessThan(score(fused, "c"));
    }

    @Test
    void aListWithoutSpreadRanksItsHitsAboveTheChunksItMissedWithoutNaN() {
        // bm25 found one chunk: its standard deviation is zero.
        List<Ranking> oneHit = List.of(
                new Ranking("dense", List.of(hit("a", 0.75f), hit("b", 0.5f), hit("c", 0.25f)), 1.0),
                new Ranking("bm25", List.of(hit("c", 7f)), 1.0));
        double denseSd = Math.sqrt((sq(0.25) + sq(0) + sq(-0.25)) / 3);

        List<ChunkHit> z = zScore.fuse(oneHit, 10);
        List<ChunkHit> m = minMax.fuse(oneHit, 10);

        assertScore(z, "a", 0.25 / denseSd - 1);
        assertScore(z, "b", 0 - 1);
        assertScore(z, "c", -0.25 / denseSd + 1);
        assertThat(z).extracting(ChunkHit::chunkId).containsExactly("a", "c", "b");
        assertScore(m, "a", 1 + 0);
        assertScore(m, "b", 0.5 + 0);
        assertScore(m, "c", 0 + 1);
        assertThat(m).extracting(ChunkHit::chunkId).containsExactly("a", "c", "b");
    }

    @Test
    void listsOfEqualScoresGiveFiniteScores() {
        List<Ranking> flat = List.of(
                new Ranking("dense", List.of(hit("a", 0.5f), hit("b", 0.5f)), 1.0),
                new Ranking("bm25", List.of(hit("b", 3f), hit("c", 3f)), 1.0));

        for (ScoreFusion fusion : List.of(zScore, minMax)) {
            List<ChunkHit> fused = fusion.fuse(flat, 10);
            assertThat(fused).extracting(ChunkHit::chunkId).as(fusion.normalisation().name())
                    .containsExactly("b", "a", "c");
            assertThat(fused).allSatisfy(h -> assertThat(Float.isFinite(h.score())).isTrue());
        }
        assertThat(zScore.fuse(flat, 10)).extracting(ChunkHit::score).containsExactly(2f, 0f, 0f);
        assertThat(minMax.fuse(flat, 10)).extracting(ChunkHit::score).containsExactly(2f, 1f, 1f);
    }

    @Test
    void weightsScaleEachListsContribution() {
        List<Ranking> weighted = List.of(
                new Ranking("dense", twoLists.get(0).hits(), 0.5),
                new Ranking("bm25", twoLists.get(1).hits(), 2.0));

        List<ChunkHit> fused = minMax.fuse(weighted, 10);

        assertThat(fused).extracting(ChunkHit::chunkId).containsExactly("c", "a", "b", "d");
        assertScore(fused, "c", 0.5 * 0 + 2.0 * 1);
        assertScore(fused, "a", 0.5 * 1 + 2.0 * (6 - 3) / (12.0 - 3));
        assertScore(fused, "b", 0.5 * (0.75 - 0.25) / (0.875 - 0.25) + 2.0 * 0);
    }

    @Test
    void aListOfWeightZeroOnlyAddsItsChunks() {
        List<Ranking> denseAlone = List.of(
                new Ranking("dense", twoLists.get(0).hits(), 1.0),
                new Ranking("bm25", twoLists.get(1).hits(), 0.0));

        assertThat(zScore.fuse(denseAlone, 10)).extracting(ChunkHit::chunkId).containsExactly("a", "b", "c", "d");
    }

    @Test
    void keepsTheLimit() {
        assertThat(zScore.fuse(twoLists, 2)).extracting(ChunkHit::chunkId).containsExactly("a", "c");
        assertThat(zScore.fuse(twoLists, 100)).hasSize(4);
    }

    @Test
    void tiesKeepTheOrderOfFirstAppearance() {
        // Mirror images: a and b both score +1 in one list and -1 in the other.
        Ranking dense = new Ranking("dense", List.of(hit("a", 0.75f), hit("b", 0.25f)), 1.0);
        Ranking bm25 = new Ranking("bm25", List.of(hit("b", 0.75f), hit("a", 0.25f)), 1.0);

        assertThat(zScore.fuse(List.of(dense, bm25), 10)).extracting(ChunkHit::chunkId).containsExactly("a", "b");
        assertThat(zScore.fuse(List.of(bm25, dense), 10)).extracting(ChunkHit::chunkId).containsExactly("b", "a");
        assertThat(zScore.fuse(List.of(dense, bm25), 10)).extracting(ChunkHit::score).containsExactly(0f, 0f);
    }

    @Test
    void anEmptyListChangesNothing() {
        List<Ranking> bm25Only = List.of(new Ranking("dense", List.of(), 1.0), twoLists.get(1));

        List<ChunkHit> fused = zScore.fuse(bm25Only, 10);

        double mean = 7;
        double sd = Math.sqrt((sq(12 - mean) + sq(6 - mean) + sq(3 - mean)) / 3);
        assertThat(fused).extracting(ChunkHit::chunkId).containsExactly("c", "a", "d");
        assertScore(fused, "c", (12 - mean) / sd);
        assertThat(zScore.fuse(List.of(), 10)).isEmpty();
    }

    @Test
    void takesHighlightsFromWhicheverListHasThem() {
        ChunkHit highlighted = hit("a", 6f).withHighlights(List.of(new Highlight(0, 3)));

        List<ChunkHit> fused = zScore.fuse(List.of(
                new Ranking("dense", List.of(hit("a", 0.875f), hit("b", 0.75f)), 1.0),
                new Ranking("bm25", List.of(highlighted, hit("b", 2f)), 1.0)), 10);

        assertThat(fused.getFirst().chunkId()).isEqualTo("a");
        assertThat(fused.getFirst().highlights()).containsExactly(new Highlight(0, 3));
        assertThat(fused.getFirst().text()).isEqualTo("text a");
    }

    private static void assertScore(List<ChunkHit> fused, String id, double expected) {
        assertThat(score(fused, id)).as(id).isCloseTo((float) expected, within(1e-5f));
    }

    private static float score(List<ChunkHit> fused, String id) {
        return fused.stream().filter(h -> h.chunkId().equals(id)).findFirst().orElseThrow().score();
    }

    private static double sq(double x) {
        return x * x;
    }

    private static ChunkHit hit(String id, float score) {
        return new ChunkHit(id, "doc-" + id, 1, 0, "T", null, "text " + id, List.of(), null, 0, 6, score, null, null);
    }
}
