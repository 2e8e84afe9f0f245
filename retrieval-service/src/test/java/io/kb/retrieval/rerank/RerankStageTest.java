package io.kb.retrieval.rerank;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.rerank.RerankStage.Outcome;
import io.kb.retrieval.rerank.RerankStage.Reranking;
import io.kb.retrieval.rerank.triton.OverlapScoringTriton;
import io.kb.retrieval.rerank.triton.TritonReranker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RerankStage} with a {@link TritonReranker} against {@link OverlapScoringTriton}: the order is the one the
 * stand-in's rule implies, the window of candidates, the fused order kept with a reason when the reranker fails,
 * the outcome counter, and the circuit breaker. Where a reranker must misbehave in a way no server could make a real
 * adapter do, the port is implemented in place.
 */
class RerankStageTest {

    static final Duration DEADLINE = Duration.ofSeconds(1);
    static final RerankProperties.Triton MODEL = new RerankProperties.Triton("localhost:8001", "bge_reranker");
    static final String QUERY = "how many paid leave days carry over";
    /** Fused order: RRF put the chunk with the fewest of the query's words first. */
    static final List<ChunkHit> FUSED = RerankerContract.hits(
            "Leave policy overview.",                                        // 1 word of the query
            "Unused paid leave days carry over to the next year.",           // 5
            "Parental leave is paid for 16 weeks.",                          // 2
            "How many days? Ask HR.",                                        // 3
            "The canteen opens at noon.");                                   // 0

    final OverlapScoringTriton triton = OverlapScoringTriton.inProcess(MODEL, DEADLINE.toNanos() / 1000);
    final ManagedChannel channel = triton.channel();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** Loads the classes of the first gRPC call, which may take longer than the deadline on a busy machine. */
    @BeforeAll
    static void warmUp() {
        try (OverlapScoringTriton warm = OverlapScoringTriton.inProcess(MODEL, 60_000_000)) {
            ManagedChannel c = warm.channel();
            new TritonReranker(c, MODEL, Duration.ofMinutes(1)).rerank(QUERY, FUSED);
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
    void ordersTheFusedCandidatesByTheModelsScores() {
        Reranking r = stage(50, RerankProperties.Circuit.DEFAULTS).rerank(QUERY, FUSED, 5, true);

        List<ChunkHit> byRule = FUSED.stream()
                .sorted(Comparator.comparingDouble((ChunkHit h) -> OverlapScoringTriton.score(QUERY, h.text())).reversed())
                .toList();
        assertThat(ids(byRule)).isNotEqualTo(ids(FUSED));
        assertThat(r.reranked()).isTrue();
        assertThat(r.reason()).isNull();
        assertThat(ids(r.hits())).isEqualTo(ids(byRule)).containsExactly("doc-1", "doc-3", "doc-2", "doc-0", "doc-4");
        assertThat(r.hits()).extracting(ChunkHit::score).containsExactly(5f, 3f, 2f, 1f, 0f);
        assertThat(r.called()).isTrue();
        assertThat(count("reranked")).isEqualTo(1);
    }

    @Test
    void equalScoresKeepTheFusedOrder() {
        List<ChunkHit> fused = RerankerContract.hits("leave b", "nothing", "leave a", "leave c");

        Reranking r = stage(50, RerankProperties.Circuit.DEFAULTS).rerank("leave", fused, 4, true);

        assertThat(ids(r.hits())).containsExactly("doc-0", "doc-2", "doc-3", "doc-1");
    }

    @Test
    void reranksOnlyTheBestCandidatesRaisedToTopK() {
        RerankStage stage = stage(2, RerankProperties.Circuit.DEFAULTS);

        Reranking two = stage.rerank(QUERY, FUSED, 1, true);
        assertThat(triton.passages()).containsExactly(FUSED.get(0).text(), FUSED.get(1).text());
        assertThat(ids(two.hits())).containsExactly("doc-1", "doc-0");

        triton.reset();
        Reranking four = stage.rerank(QUERY, FUSED, 4, true);
        assertThat(triton.passages()).hasSize(4);
        assertThat(ids(four.hits())).containsExactly("doc-1", "doc-3", "doc-2", "doc-0");
    }

    @Test
    void neverAddsAHitTheFusionDidNotHave() {
        Reranking r = stage(50, RerankProperties.Circuit.DEFAULTS).rerank(QUERY, FUSED, 5, true);

        assertThat(ids(r.hits())).containsExactlyInAnyOrderElementsOf(ids(FUSED));
        assertThat(triton.passages()).containsExactlyInAnyOrderElementsOf(FUSED.stream().map(ChunkHit::text).toList());
    }

    @Test
    void aRerankerAnsweringMoreScoresThanCandidatesCannotAddHits() {
        Reranker overeager = (query, candidates) -> new float[candidates.size() + 1];

        Reranking r = new RerankStage(overeager, properties(50, RerankProperties.Circuit.DEFAULTS), meters)
                .rerank(QUERY, FUSED, 5, true);

        assertThat(r.reranked()).isFalse();
        assertThat(r.outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(r.hits()).isEqualTo(FUSED);
        assertThat(count("malformed")).isEqualTo(1);
    }

    @Test
    void aModelAnsweringAnExtraRowLeavesTheFusedOrder() {
        triton.behave(OverlapScoringTriton.Behaviour.EXTRA_ROW);

        Reranking r = stage(50, RerankProperties.Circuit.DEFAULTS).rerank(QUERY, FUSED, 5, true);

        assertThat(r.outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(r.hits()).isEqualTo(FUSED);
        assertThat(r.reason()).isEqualTo("the reranker's answer was malformed");
    }

    @Test
    void aFailingRerankerLeavesTheFusedOrderWithTheReasonAndCountsIt() {
        RerankStage stage = stage(50, RerankProperties.Circuit.DEFAULTS);

        triton.failWith(Status.UNAVAILABLE);
        Reranking down = stage.rerank(QUERY, FUSED, 5, true);
        triton.stallFor(DEADLINE.plusMillis(700));
        Reranking slow = stage.rerank(QUERY, FUSED, 5, true);
        triton.behave(OverlapScoringTriton.Behaviour.WRONG_SHAPE);
        Reranking malformed = stage.rerank(QUERY, FUSED, 5, true);
        triton.failWith(Status.NOT_FOUND);
        Reranking rejected = stage.rerank(QUERY, FUSED, 5, true);

        assertThat(List.of(down, slow, malformed, rejected)).allSatisfy(r -> {
            assertThat(r.reranked()).isFalse();
            assertThat(r.hits()).isEqualTo(FUSED);
            assertThat(r.called()).isTrue();
        });
        assertThat(down.reason()).isEqualTo("the reranker is unavailable");
        assertThat(slow.reason()).isEqualTo("the reranker did not answer in time");
        assertThat(slow.nanos()).isGreaterThanOrEqualTo(DEADLINE.toNanos());
        assertThat(malformed.reason()).isEqualTo("the reranker's answer was malformed");
        assertThat(rejected.reason()).isEqualTo("the reranker refused the request");
        assertThat(List.of(count("unavailable"), count("timeout"), count("malformed"), count("rejected")))
                .containsOnly(1.0);
    }

    @Test
    void anOptedOutRequestOrNothingToRerankDoesNotCallTheReranker() {
        RerankStage stage = stage(50, RerankProperties.Circuit.DEFAULTS);

        Reranking optedOut = stage.rerank(QUERY, FUSED, 5, false);
        Reranking empty = stage.rerank(QUERY, List.of(), 5, true);

        assertThat(triton.requests()).isEmpty();
        assertThat(optedOut.hits()).isEqualTo(FUSED);
        assertThat(optedOut.reason()).contains("rerank: false");
        assertThat(optedOut.called()).isFalse();
        assertThat(empty.hits()).isEmpty();
        assertThat(count("opted-out")).isEqualTo(1);
        assertThat(count("no-candidates")).isEqualTo(1);
    }

    @Test
    void theCircuitOpensAfterRepeatedFailuresStopsCallingAndClosesWhenTheModelIsBack() throws Exception {
        Duration openFor = Duration.ofMillis(300);
        RerankStage stage = stage(50, new RerankProperties.Circuit(50, 4, 4, openFor, 1));
        triton.failWith(Status.UNAVAILABLE);

        IntStream.range(0, 4).forEach(i -> assertThat(stage.rerank(QUERY, FUSED, 5, true).outcome())
                .isEqualTo(Outcome.UNAVAILABLE));
        assertThat(triton.requests()).hasSize(4);
        assertThat(meters.get("kb.retrieval.rerank.circuit").gauge().value()).isEqualTo(2);

        AtomicInteger paused = new AtomicInteger();
        IntStream.range(0, 10).forEach(i -> {
            Reranking r = stage.rerank(QUERY, FUSED, 5, true);
            assertThat(r.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN);
            assertThat(r.hits()).isEqualTo(FUSED);
            assertThat(r.called()).isFalse();
            paused.incrementAndGet();
        });
        assertThat(triton.requests()).as("no call while the circuit is open").hasSize(4);
        assertThat(count("circuit-open")).isEqualTo(paused.get());

        triton.behave(OverlapScoringTriton.Behaviour.SCORE);
        Thread.sleep(openFor.plusMillis(100));
        Reranking probe = stage.rerank(QUERY, FUSED, 5, true);

        assertThat(probe.reranked()).isTrue();
        assertThat(stage.circuitState().name()).isEqualTo("CLOSED");
        assertThat(meters.get("kb.retrieval.rerank.circuit").gauge().value()).isZero();
        assertThat(stage.rerank(QUERY, FUSED, 5, true).reranked()).isTrue();
    }

    private RerankStage stage(int candidates, RerankProperties.Circuit circuit) {
        return new RerankStage(new TritonReranker(channel, MODEL, DEADLINE), properties(candidates, circuit), meters);
    }

    private static RerankProperties properties(int candidates, RerankProperties.Circuit circuit) {
        return new RerankProperties(RerankProperties.Type.TRITON, candidates, DEADLINE, circuit, MODEL);
    }

    private double count(String outcome) {
        var counter = meters.find("kb.retrieval.rerank").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<String> ids(List<ChunkHit> hits) {
        return hits.stream().map(ChunkHit::documentId).toList();
    }
}
