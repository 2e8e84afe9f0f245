package io.kb.retrieval.rerank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.kb.retrieval.index.ChunkHit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5 of a search, when a {@link Reranker} is configured: takes the best {@code candidates} fused hits (at least
 * the request's {@code topK}), has the reranker score them, and orders them by that score, best first, each hit
 * carrying its reranker score. Equal scores keep the fused order.
 *
 * <p>Access control is untouched: the stage only reorders hits that the index query already filtered by the
 * caller's tenant and principals. The reranker answers scores, never hits, and an answer that is not exactly one
 * finite score per candidate is refused, so no hit can be added, replaced or duplicated.
 *
 * <p>Failure policy: a reranker that is down, slower than its deadline, refuses the request or answers something
 * malformed never fails the search. The fused order is kept, the answer says {@code reranked: false} with the
 * reason, and the counter {@code kb.retrieval.rerank{outcome}} counts it. A circuit breaker stops calling a reranker
 * whose recent calls mostly failed, so that a dead one costs nothing per query until its probes succeed again; its
 * state is the gauge {@code kb.retrieval.rerank.circuit} (0 closed, 1 half-open, 2 open). Thread-safe.
 */
public final class RerankStage {

    private static final Logger log = LoggerFactory.getLogger(RerankStage.class);

    /** What became of a reranking; the tag is the {@code outcome} of the {@code kb.retrieval.rerank} counter. */
    public enum Outcome {
        RERANKED("reranked"),
        OPTED_OUT("opted-out"),
        NO_CANDIDATES("no-candidates"),
        CIRCUIT_OPEN("circuit-open"),
        TIMEOUT("timeout"),
        UNAVAILABLE("unavailable"),
        REJECTED("rejected"),
        MALFORMED("malformed"),
        ERROR("error");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        static Outcome of(RerankerException.Failure failure) {
            return switch (failure) {
                case TIMEOUT -> TIMEOUT;
                case UNAVAILABLE -> UNAVAILABLE;
                case REJECTED -> REJECTED;
                case MALFORMED -> MALFORMED;
            };
        }
    }

    /**
     * @param hits    the reranked candidates, best first, with the reranker's scores; or the fused hits unchanged
     * @param outcome what happened
     * @param reason  why the hits are not reranked; null when they are
     * @param nanos   how long the reranker was called, or -1 when it was not
     */
    public record Reranking(List<ChunkHit> hits, Outcome outcome, String reason, long nanos) {

        public boolean reranked() {
            return outcome == Outcome.RERANKED;
        }

        public boolean called() {
            return nanos >= 0;
        }
    }

    private final Reranker reranker;
    private final RerankProperties properties;
    private final MeterRegistry meters;
    private final CircuitBreaker circuit;

    public RerankStage(Reranker reranker, RerankProperties properties, MeterRegistry meters) {
        this.reranker = reranker;
        this.properties = properties;
        this.meters = meters;
        RerankProperties.Circuit c = properties.circuit();
        this.circuit = CircuitBreaker.of("reranker", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(c.window())
                .minimumNumberOfCalls(Math.min(c.minimumCalls(), c.window()))
                .failureRateThreshold(c.failureRateThreshold())
                .waitDurationInOpenState(c.openFor())
                .permittedNumberOfCallsInHalfOpenState(c.halfOpenCalls())
                .build());
        circuit.getEventPublisher().onStateTransition(e -> log.warn("reranker circuit {}", e.getStateTransition()));
        Gauge.builder("kb.retrieval.rerank.circuit", circuit, RerankStage::stateValue)
                .description("0 closed, 1 half-open, 2 open").register(meters);
    }

    /**
     * @param query the caller's query
     * @param fused the fused hits, best first, already filtered by the caller's access
     * @param topK  the hits the request wants; at least that many candidates are reranked
     * @param asked whether the request wants reranking
     * @return the reranked candidates, or the fused hits with the reason they are not reranked
     */
    public Reranking rerank(String query, List<ChunkHit> fused, int topK, boolean asked) {
        if (!asked) {
            return skipped(fused, Outcome.OPTED_OUT, "not asked for (rerank: false)");
        }
        if (fused.isEmpty()) {
            return skipped(fused, Outcome.NO_CANDIDATES, "no candidates");
        }
        if (!circuit.tryAcquirePermission()) {
            return skipped(fused, Outcome.CIRCUIT_OPEN, "the reranker failed repeatedly and is paused (circuit open)");
        }
        List<ChunkHit> pool = fused.subList(0, Math.min(fused.size(), Math.max(properties.candidates(), topK)));
        long t0 = System.nanoTime();
        try {
            float[] scores = reranker.rerank(query, pool);
            List<ChunkHit> reranked = order(pool, scores);
            long nanos = System.nanoTime() - t0;
            circuit.onSuccess(nanos, TimeUnit.NANOSECONDS);
            count(Outcome.RERANKED);
            return new Reranking(reranked, Outcome.RERANKED, null, nanos);
        } catch (RerankerException e) {
            long nanos = System.nanoTime() - t0;
            circuit.onError(nanos, TimeUnit.NANOSECONDS, e);
            log.warn("reranking failed, answering in fused order: {}", e.getMessage());
            Outcome outcome = Outcome.of(e.failure());
            count(outcome);
            return new Reranking(fused, outcome, e.failure().reason(), nanos);
        } catch (RuntimeException e) {
            long nanos = System.nanoTime() - t0;
            circuit.onError(nanos, TimeUnit.NANOSECONDS, e);
            log.warn("reranking failed, answering in fused order", e);
            count(Outcome.ERROR);
            return new Reranking(fused, Outcome.ERROR, "the reranker failed", nanos);
        }
    }

    /** The circuit's state, for readiness details. */
    public CircuitBreaker.State circuitState() {
        return circuit.getState();
    }

    /** The pool ordered by the scores, best first; equal scores keep the pool's order. */
    private static List<ChunkHit> order(List<ChunkHit> pool, float[] scores) {
        if (scores == null || scores.length != pool.size()) {
            throw new RerankerException(RerankerException.Failure.MALFORMED, "the reranker answered "
                    + (scores == null ? "nothing" : scores.length + " scores") + " for " + pool.size() + " candidates",
                    null);
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new RerankerException(RerankerException.Failure.MALFORMED, "the reranker's score of candidate "
                        + i + " is " + scores[i], null);
            }
        }
        List<ChunkHit> out = new ArrayList<>(pool.size());
        IntStream.range(0, pool.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .forEach(i -> out.add(pool.get(i).withScore(scores[i])));
        return out;
    }

    private Reranking skipped(List<ChunkHit> fused, Outcome outcome, String reason) {
        count(outcome);
        return new Reranking(fused, outcome, reason, -1);
    }

    private void count(Outcome outcome) {
        meters.counter("kb.retrieval.rerank", "outcome", outcome.tag()).increment();
    }

    private static double stateValue(CircuitBreaker c) {
        return switch (c.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> 0;
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
        };
    }
}
