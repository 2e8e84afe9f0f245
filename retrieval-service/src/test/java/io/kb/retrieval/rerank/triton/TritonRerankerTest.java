package io.kb.retrieval.rerank.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.rerank.RerankProperties;
import io.kb.retrieval.rerank.Reranker;
import io.kb.retrieval.rerank.RerankerContract;
import io.kb.retrieval.rerank.RerankerException;
import io.kb.retrieval.rerank.RerankerException.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TritonReranker} against {@link OverlapScoringTriton} in process: the contract, the request on the wire
 * field by field, batching, and how the server's failures and malformed answers come out.
 */
class TritonRerankerTest extends RerankerContract {

    static final Duration DEADLINE = Duration.ofSeconds(1);
    static final RerankProperties.Triton MODEL = new RerankProperties.Triton("localhost:8001", false, "bge_reranker",
            "2", "query_text", "passage_text", "logits", 4);

    final OverlapScoringTriton triton = OverlapScoringTriton.inProcess(MODEL, DEADLINE.toNanos() / 1000);
    final ManagedChannel channel = triton.channel();
    final TritonReranker reranker = new TritonReranker(channel, MODEL, DEADLINE);

    @Override
    protected Reranker reranker() {
        return reranker;
    }

    /** Loads the classes of the first gRPC call, which may take longer than the deadline on a busy machine. */
    @BeforeAll
    static void warmUp() {
        try (OverlapScoringTriton warm = OverlapScoringTriton.inProcess(MODEL, 60_000_000)) {
            ManagedChannel c = warm.channel();
            new TritonReranker(c, MODEL, Duration.ofMinutes(1)).rerank("q", RerankerContract.hits("a"));
            c.shutdownNow();
        }
    }

    @AfterEach
    void stop() {
        assertThat(triton.violations()).isEmpty();
        channel.shutdownNow();
        triton.close();
    }

    @Test
    void sendsEachCandidateAsARowBesideTheQueryInBatchesOfTheModelsSize() {
        List<ChunkHit> candidates = RerankerContract.hits("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

        reranker.rerank("q", candidates);

        List<ModelInferRequest> sent = triton.requests();
        assertThat(sent).hasSize(3);
        assertThat(sent).extracting(r -> r.getInputs(0).getShape(0)).containsExactlyInAnyOrder(4L, 4L, 2L);
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.getModelName()).isEqualTo("bge_reranker");
            assertThat(r.getModelVersion()).isEqualTo("2");
            assertThat(r.getInputsList()).extracting(i -> i.getName()).containsExactly("query_text", "passage_text");
            assertThat(r.getInputsList()).extracting(i -> i.getDatatype()).containsOnly("BYTES");
        });
        assertThat(triton.passages()).containsExactlyInAnyOrder("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    }

    @Test
    void answersTheScoresOfEveryBatchInTheCandidatesOrder() {
        List<ChunkHit> candidates = RerankerContract.hits("nothing", "leave", "paid leave", "nothing", "days",
                "paid leave days", "leave days");

        float[] scores = reranker.rerank("paid leave days", candidates);

        float[] expected = new float[candidates.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = OverlapScoringTriton.score("paid leave days", candidates.get(i).text());
        }
        assertThat(scores).containsExactly(expected);
        assertThat(scores).containsExactly(0, 1, 2, 0, 1, 3, 2);
    }

    @Test
    void textTravelsAsUtf8WithByteLengthPrefixes() {
        String chinese = "年假：每位员工每年享有二十五天带薪年假。";
        String mixed = "Café policy – 5 € per coffee";

        reranker.rerank("年假 天数", RerankerContract.hits(chinese, mixed));

        assertThat(triton.passages()).containsExactly(chinese, mixed);
    }

    @Test
    void acceptsScoresInTypedContents() {
        triton.behave(OverlapScoringTriton.Behaviour.SCORE_TYPED);

        assertThat(reranker.rerank("leave days", RerankerContract.hits("leave", "leave days", "x"))).containsExactly(1, 2, 0);
    }

    @Test
    void aServerPastTheDeadlineIsATimeout() {
        triton.stallFor(DEADLINE.plusMillis(700));

        assertFails(Failure.TIMEOUT, "did not answer within 1000 ms");
    }

    @Test
    void anUnavailableOrOverloadedServerIsUnavailable() {
        triton.failWith(Status.UNAVAILABLE.withDescription("connection refused"));
        assertFails(Failure.UNAVAILABLE, "connection refused");

        triton.failWith(Status.RESOURCE_EXHAUSTED.withDescription("queue full"));
        assertFails(Failure.UNAVAILABLE, "queue full");
    }

    @Test
    void aStoppedServerIsUnavailable() {
        triton.close();

        assertFails(Failure.UNAVAILABLE, "unavailable");
    }

    @Test
    void anUnknownModelIsRejectedNamingTheSetting() {
        triton.failWith(Status.NOT_FOUND.withDescription("Request for unknown model: 'bge_reranker' is not found"));

        assertFails(Failure.REJECTED, "kb.retrieval.rerank.triton.model");
    }

    @ParameterizedTest
    @EnumSource(names = {"WRONG_SHAPE", "WRONG_DATATYPE", "MISSING_OUTPUT", "EXTRA_ROW", "NAN"})
    void aMalformedAnswerIsRefused(OverlapScoringTriton.Behaviour malformed) {
        triton.behave(malformed);

        assertFails(Failure.MALFORMED, "Triton model 'bge_reranker' version 2");
    }

    @Test
    void aModelThatAnswersMoreRowsThanItWasGivenCannotAddACandidate() {
        triton.behave(OverlapScoringTriton.Behaviour.EXTRA_ROW);

        assertThatThrownBy(() -> reranker.rerank("leave", RerankerContract.hits("leave", "days")))
                .isInstanceOfSatisfying(RerankerException.class, e -> assertThat(e.failure()).isEqualTo(Failure.MALFORMED))
                .hasMessageContaining("shape [3, 1]");
    }

    private void assertFails(Failure failure, String message) {
        assertThatThrownBy(() -> reranker.rerank("leave days", RerankerContract.hits("leave", "days", "x", "y", "z")))
                .isInstanceOfSatisfying(RerankerException.class, e -> assertThat(e.failure()).isEqualTo(failure))
                .hasMessageContaining(message);
    }
}
