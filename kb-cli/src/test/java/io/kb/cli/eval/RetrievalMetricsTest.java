package io.kb.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void ndcgUsesGradedGainsAndALog2Discount() {
        Map<String, Integer> judgments = Map.of("a", 2, "b", 1, "c", 0);

        // DCG = 0 (x at rank 1) + 1/log2(3) (b at rank 2) + 2/log2(4) (a at rank 3)
        // IDCG = 2/log2(2) + 1/log2(3)
        double expected = (1 / LOG2_3 + 2 / 2.0) / (2 + 1 / LOG2_3);
        assertThat(RetrievalMetrics.ndcg(List.of("x", "b", "a"), judgments, 10)).isCloseTo(expected, within(1e-12));
        assertThat(expected).isCloseTo(0.61991, within(1e-5));
    }

    @Test
    void theIdealOrderScoresOne() {
        assertThat(RetrievalMetrics.ndcg(List.of("a", "b", "x"), Map.of("a", 2, "b", 1), 10)).isEqualTo(1.0);
    }

    @Test
    void theIdealDcgComesFromTheQrelsNotFromWhatWasRetrieved() {
        // Only one of two relevant documents found, at rank 1: DCG 1, IDCG 1 + 1/log2(3).
        double ndcg = RetrievalMetrics.ndcg(List.of("a", "x"), Map.of("a", 1, "b", 1), 10);

        assertThat(ndcg).isCloseTo(1 / (1 + 1 / LOG2_3), within(1e-12));
    }

    @Test
    void nothingBelowTheCutOffCounts() {
        List<String> ranking = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ranking.add("x" + i);
        }
        ranking.add("a");

        assertThat(RetrievalMetrics.ndcg(ranking, Map.of("a", 1), 10)).isZero();
        assertThat(RetrievalMetrics.recall(ranking, Map.of("a", 1), 10)).isZero();
        assertThat(RetrievalMetrics.recall(ranking, Map.of("a", 1), 100)).isEqualTo(1.0);
    }

    @Test
    void recallIsTheShareOfRelevantDocumentsFound() {
        Map<String, Integer> judgments = Map.of("a", 1, "b", 3, "c", 1, "d", 0);

        assertThat(RetrievalMetrics.recall(List.of("d", "a", "x", "b"), judgments, 10)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(RetrievalMetrics.recall(List.of("d", "a", "x", "b"), judgments, 2)).isCloseTo(1 / 3.0, within(1e-12));
    }

    @Test
    void aDocumentCountsOnceAtTheRankOfItsBestChunk() {
        Map<String, Integer> judgments = Map.of("a", 2, "b", 1);

        // Chunk hits b, b, a are the documents b, a: DCG = 1 + 2/log2(3); counting b twice would give 1 + 1/log2(3) + 1.
        RetrievalMetrics.QueryScores scores = RetrievalMetrics.score(List.of("b", "b", "a"), judgments);

        assertThat(RetrievalMetrics.byBestChunk(List.of("b", "b", "a", "b"))).containsExactly("b", "a");
        assertThat(scores.ndcgAt10()).isCloseTo((1 + 2 / LOG2_3) / (2 + 1 / LOG2_3), within(1e-12));
        assertThat(scores.recallAt10()).isEqualTo(1.0);
    }

    @Test
    void theRecallCutOffCountsDocumentsNotChunks() {
        List<String> ranking = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ranking.add("x");
        }
        ranking.add("a");

        // Twelve chunks of one document, then the relevant one: rank 2 among documents.
        assertThat(RetrievalMetrics.score(ranking, Map.of("a", 1)).recallAt10()).isEqualTo(1.0);
    }

    @Test
    void refusesAQueryWithoutARelevantDocument() {
        assertThatThrownBy(() -> RetrievalMetrics.score(List.of("a"), Map.of("a", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no relevant document");
    }

    @Test
    void summarizesByTheMeanOverQueries() {
        RetrievalMetrics.Summary summary = RetrievalMetrics.summarize(List.of(
                new RetrievalMetrics.QueryScores(1.0, 0.5, 1.0),
                new RetrievalMetrics.QueryScores(0.0, 0.25, 0.5)));

        assertThat(summary.queries()).isEqualTo(2);
        assertThat(summary.ndcgAt10()).isEqualTo(0.5);
        assertThat(summary.recallAt10()).isEqualTo(0.375);
        assertThat(summary.recallAt100()).isEqualTo(0.75);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[99 - i] = i + 1;
        }

        assertThat(RetrievalMetrics.percentile(hundred, 50)).isEqualTo(50);
        assertThat(RetrievalMetrics.percentile(hundred, 99)).isEqualTo(99);
        assertThat(RetrievalMetrics.percentile(new double[] {5, 1, 3}, 50)).isEqualTo(3);
        assertThat(RetrievalMetrics.percentile(new double[] {5, 1, 3}, 99)).isEqualTo(5);
        assertThat(hundred[0]).isEqualTo(100);
    }
}
