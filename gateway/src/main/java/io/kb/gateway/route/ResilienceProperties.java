package io.kb.gateway.route;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway copes with a failing service: a circuit breaker per upstream ({@code ingest}, {@code retrieval},
 * {@code inference}) and retries of idempotent {@code GET}s only. A generation is never retried: it costs GPU time
 * and may already be streaming.
 *
 * @param circuitBreaker the breakers, one per upstream, all with these settings
 * @param retry          the retries of {@code GET} requests
 */
@Validated
@ConfigurationProperties("kb.gateway.resilience")
public record ResilienceProperties(
        @DefaultValue @Valid @NotNull CircuitBreaker circuitBreaker,
        @DefaultValue @Valid @NotNull Retry retry) {

    /**
     * A breaker counts calls that fail to reach the service or to complete (refused or reset connections,
     * timeouts); a service's own answers, errors included, pass through and count as successes. While open it
     * answers every call at once with a 503 problem.
     *
     * @param failureRateThreshold   the percentage of failed calls in the window that opens the breaker
     * @param slidingWindowSize      the calls the failure rate is measured over
     * @param minimumNumberOfCalls   the calls needed before the rate is judged
     * @param waitInOpenState        how long it stays open before letting trial calls through; also the
     *                               {@code Retry-After} of its 503
     * @param permittedCallsInHalfOpenState the trial calls that decide whether it closes again
     * @param timeLimit              the longest a call may take, the whole streamed response included; it must
     *                               outlast the longest answer, since Resilience4j's default of 1 s would cut
     *                               streamed answers off
     */
    public record CircuitBreaker(
            @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
            @DefaultValue("20") @Min(1) int slidingWindowSize,
            @DefaultValue("10") @Min(1) int minimumNumberOfCalls,
            @DefaultValue("30s") @NotNull Duration waitInOpenState,
            @DefaultValue("3") @Min(1) int permittedCallsInHalfOpenState,
            @DefaultValue("10m") @NotNull Duration timeLimit) {

        public CircuitBreaker {
            if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
                throw new IllegalArgumentException(
                        "kb.gateway.resilience.circuit-breaker.time-limit must be positive, was " + timeLimit);
            }
        }
    }

    /**
     * Retries of a {@code GET} that could not reach the service (an I/O error) or got a 502 from it.
     *
     * @param retries      retries after the first attempt; 0 turns them off
     * @param firstBackoff the wait before the first retry, doubled for each next one
     * @param maxBackoff   the longest wait between two attempts
     */
    public record Retry(
            @DefaultValue("2") @Min(0) int retries,
            @DefaultValue("50ms") @NotNull Duration firstBackoff,
            @DefaultValue("500ms") @NotNull Duration maxBackoff) {
    }
}
