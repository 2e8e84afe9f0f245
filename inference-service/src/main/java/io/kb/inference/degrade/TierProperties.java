package io.kb.inference.degrade;

import io.kb.inference.generate.openai.OpenAiGeneratorProperties;
import io.kb.inference.generate.triton.TritonGeneratorProperties;
import java.time.Duration;
import java.util.Locale;

/**
 * One generator tier under {@code kb.inference.tiers[n]}, in order of preference: the first tier whose circuit is
 * closed answers.
 *
 * @param name                  what responses, metrics and logs call the tier ({@code primary}, {@code light}, ...)
 * @param type                  {@code extractive}, {@code triton} or {@code openai}
 * @param slo                   the time to first token the tier must keep (default 500 ms); slower calls count as
 *                              slow in the circuit's window
 * @param firstTokenTimeout     how long an answer waits for the tier's first token before another tier takes over
 *                              (default twice the SLO)
 * @param timeout               the longest a whole generation may take (default 60 s)
 * @param maxConcurrent         generations in flight at once; one more finds the queue full (default 32)
 * @param failureRateThreshold  percentage of failed calls in the window that opens the circuit (default 50)
 * @param slowCallRateThreshold percentage of calls slower than the SLO that opens the circuit (default 50)
 * @param window                calls in the rolling window (default 20)
 * @param minimumCalls          calls needed before the rates count (default 5)
 * @param openFor               how long the circuit stays open before probes test the tier again (default 15 s)
 * @param contextTokens         the token budget of the sources given to the tier (default 3000)
 * @param answerTokens          the most tokens an answer may have (default 512)
 * @param ease                  cheaper steps tried while the tier is slowing down, before it is dropped; absent: none
 * @param triton                the server, for {@code type: triton}
 * @param openai                the server, for {@code type: openai}
 */
public record TierProperties(
        String name,
        Type type,
        Duration slo,
        Duration firstTokenTimeout,
        Duration timeout,
        Integer maxConcurrent,
        Integer failureRateThreshold,
        Integer slowCallRateThreshold,
        Integer window,
        Integer minimumCalls,
        Duration openFor,
        Integer contextTokens,
        Integer answerTokens,
        Ease ease,
        TritonGeneratorProperties triton,
        OpenAiGeneratorProperties openai) {

    /** Where a tier's answers come from. */
    public enum Type {
        EXTRACTIVE, TRITON, OPENAI;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Cheaper steps for a tier that is getting slow: once this share of the window's calls is slower than the SLO
     * (but before the circuit opens), answers get a smaller context and skip the query rewrite.
     *
     * @param slowCallRate  the percentage of slow calls at which the steps start (default 25)
     * @param contextFactor the share of the context budget kept (default 0.5)
     * @param skipRewrite   whether follow-ups are sent without the model rewriting them first (default true)
     */
    public record Ease(Integer slowCallRate, Double contextFactor, Boolean skipRewrite) {

        /** Fills in the defaults and checks the ranges. */
        public Ease {
            slowCallRate = slowCallRate == null ? 25 : slowCallRate;
            contextFactor = contextFactor == null ? 0.5 : contextFactor;
            skipRewrite = skipRewrite == null || skipRewrite;
            if (slowCallRate < 1 || slowCallRate > 100 || contextFactor <= 0 || contextFactor > 1) {
                throw new IllegalArgumentException(
                        "ease: slow-call-rate must be 1..100 and context-factor in (0, 1]");
            }
        }
    }

    /** Fills in the defaults and checks that a model tier names its server. */
    public TierProperties {
        if (name == null || !name.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new IllegalArgumentException("kb.inference.tiers[].name: must be 1-32 lower-case letters, digits "
                    + "or '-', starting with a letter; was " + name);
        }
        if (type == null) {
            throw new IllegalArgumentException("kb.inference.tiers[" + name + "].type: is required "
                    + "(extractive, triton or openai)");
        }
        if (type == Type.TRITON && triton == null) {
            throw new IllegalArgumentException("kb.inference.tiers[" + name + "].triton: is required for a triton tier");
        }
        if (type == Type.OPENAI && openai == null) {
            throw new IllegalArgumentException("kb.inference.tiers[" + name + "].openai: is required for an openai tier");
        }
        slo = slo == null ? Duration.ofMillis(500) : slo;
        firstTokenTimeout = firstTokenTimeout == null ? slo.multipliedBy(2) : firstTokenTimeout;
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        maxConcurrent = maxConcurrent == null ? 32 : maxConcurrent;
        failureRateThreshold = failureRateThreshold == null ? 50 : failureRateThreshold;
        slowCallRateThreshold = slowCallRateThreshold == null ? 50 : slowCallRateThreshold;
        window = window == null ? 20 : window;
        minimumCalls = minimumCalls == null ? 5 : minimumCalls;
        openFor = openFor == null ? Duration.ofSeconds(15) : openFor;
        contextTokens = contextTokens == null ? 3000 : contextTokens;
        answerTokens = answerTokens == null ? 512 : answerTokens;
        if (slo.isNegative() || slo.isZero() || firstTokenTimeout.isNegative() || firstTokenTimeout.isZero()
                || timeout.compareTo(firstTokenTimeout) < 0) {
            throw new IllegalArgumentException("kb.inference.tiers[" + name + "]: slo and first-token-timeout must be "
                    + "positive and timeout at least first-token-timeout");
        }
        if (maxConcurrent < 1 || window < 1 || minimumCalls < 1 || contextTokens < 50 || answerTokens < 1
                || failureRateThreshold < 1 || failureRateThreshold > 100 || slowCallRateThreshold < 1
                || slowCallRateThreshold > 100) {
            throw new IllegalArgumentException("kb.inference.tiers[" + name + "]: max-concurrent, window, "
                    + "minimum-calls and answer-tokens must be positive, context-tokens at least 50, "
                    + "and the rate thresholds 1..100");
        }
    }

    /** The tier as the local profile runs it: extractive, with its defaults. */
    public static TierProperties extractive(String name) {
        return new TierProperties(name, Type.EXTRACTIVE, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }
}
