package io.kb.inference.degrade;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.kb.inference.generate.Generator;
import java.time.Duration;

/**
 * A generator with its circuit (rolling failure and slow-call rates, Resilience4j) and its queue bound (a bulkhead
 * that refuses at once rather than wait).
 */
public final class Tier {

    private final TierProperties properties;
    private final Generator generator;
    private final CircuitBreaker circuit;
    private final Bulkhead queue;

    public Tier(TierProperties properties, Generator generator) {
        this.properties = properties;
        this.generator = generator;
        this.circuit = CircuitBreaker.of(properties.name(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.window())
                .minimumNumberOfCalls(Math.min(properties.minimumCalls(), properties.window()))
                .failureRateThreshold(properties.failureRateThreshold())
                .slowCallRateThreshold(properties.slowCallRateThreshold())
                .slowCallDurationThreshold(properties.slo())
                .waitDurationInOpenState(properties.openFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        this.queue = Bulkhead.of(properties.name(), BulkheadConfig.custom()
                .maxConcurrentCalls(properties.maxConcurrent())
                .maxWaitDuration(Duration.ZERO)
                .build());
    }

    public String name() {
        return properties.name();
    }

    public TierProperties properties() {
        return properties;
    }

    public Generator generator() {
        return generator;
    }

    public CircuitBreaker circuit() {
        return circuit;
    }

    Bulkhead queue() {
        return queue;
    }

    /** Whether answers may go to the tier now: its circuit is closed (a half-open circuit serves probes only). */
    public boolean admitsAnswers() {
        CircuitBreaker.State s = circuit.getState();
        return s == CircuitBreaker.State.CLOSED || s == CircuitBreaker.State.DISABLED;
    }

    /** Whether the tier is slowing down enough for the cheaper steps, though its circuit is still closed. */
    public boolean eased() {
        TierProperties.Ease ease = properties.ease();
        if (ease == null || !admitsAnswers()) {
            return false;
        }
        float slowRate = circuit.getMetrics().getSlowCallRate();
        return slowRate >= 0 && slowRate >= ease.slowCallRate();
    }

    /** The context budget for an answer now: the tier's, or the eased share of it. */
    public int contextTokens() {
        return eased() ? (int) Math.max(50, properties.contextTokens() * properties.ease().contextFactor())
                : properties.contextTokens();
    }

    /** Whether the tier runs a model (rather than extracting sentences), so that it can rewrite questions. */
    public boolean isModel() {
        return properties.type() != TierProperties.Type.EXTRACTIVE;
    }

    /** 0 closed, 1 half-open, 2 open: the value of the degradation state gauge. */
    public int stateValue() {
        return switch (circuit.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> 0;
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
        };
    }
}
