package io.kb.retrieval.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import io.kb.retrieval.index.ChunkHit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Reranker} does, whatever model it calls: one finite score per candidate, in the candidates'
 * order, a candidate's score not depending on where it stands in the list, and a passage that answers the query
 * scoring above one that does not. Adapters extend this and supply a working reranker.
 */
public abstract class RerankerContract {

    /** A reranker whose model is up. */
    protected abstract Reranker reranker();

    @Test
    void scoresEachCandidateInTheCandidatesOrder() {
        List<ChunkHit> candidates = hits("The canteen serves lunch from noon.",
                "To reset your VPN password, open the self-service portal and choose reset VPN password.",
                "Printers on floor 3 need a badge.");

        float[] scores = reranker().rerank("how do I reset my VPN password", candidates);

        assertThat(scores).hasSize(3);
        for (float s : scores) {
            assertThat(s).isFinite();
        }
        assertThat(scores[1]).isGreaterThan(scores[0]);
        assertThat(scores[1]).isGreaterThan(scores[2]);
    }

    @Test
    void aCandidatesScoreDoesNotDependOnItsPosition() {
        List<ChunkHit> forward = hits("Annual leave is 25 days.", "Unused leave days carry over.", "Parking is free.");
        List<ChunkHit> backward = new ArrayList<>(forward.reversed());

        float[] a = reranker().rerank("leave days carry over", forward);
        float[] b = reranker().rerank("leave days carry over", backward);

        assertThat(a).hasSize(3);
        assertThat(b).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(a[i]).as("candidate %d", i).isCloseTo(b[2 - i], within(1e-4f));
        }
    }

    @Test
    void scoresManyCandidatesInOneReranking() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            texts.add("Chunk " + i + (i == 37 ? " explains the expense report deadline." : " is about something else."));
        }

        float[] scores = reranker().rerank("expense report deadline", hits(texts.toArray(String[]::new)));

        assertThat(scores).hasSize(50);
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            best = scores[i] > scores[best] ? i : best;
        }
        assertThat(best).isEqualTo(37);
    }

    /** Hits with these texts, in this order, as fusion would hand them over. */
    public static List<ChunkHit> hits(String... texts) {
        List<ChunkHit> out = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            out.add(new ChunkHit("acme/doc-" + i + "/1/0", "doc-" + i, 1, 0, "Doc " + i, null, texts[i], List.of(),
                    null, 0, texts[i].length(), 1f / (60 + i + 1), null, null));
        }
        return out;
    }
}
