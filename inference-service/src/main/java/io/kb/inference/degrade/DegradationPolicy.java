package io.kb.inference.degrade;

import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.TokenSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Stage 4's choice of generator: the tiers are tried in order, skipping those whose circuit is open, and falling
 * through to the next when one refuses, fails or is slow to start, as long as nothing has reached the reader yet.
 *
 * <p>Metrics: {@code kb.inference.tier{tier,reason}} counts answers by the tier that produced them and why,
 * {@code kb.inference.ttft{tier}} times the first token, {@code kb.inference.tokens{tier,kind}} counts tokens, and
 * the gauges {@code kb.inference.degradation.state{tier}} (0 closed, 1 half-open, 2 open) and
 * {@code kb.inference.degradation.level} (the position of the best tier that takes answers now, 0 = the first)
 * show the state.
 */
public final class DegradationPolicy {

    private final List<Tier> tiers;
    private final ExecutorService threads;
    private final MeterRegistry meters;

    public DegradationPolicy(List<Tier> tiers, ExecutorService threads, MeterRegistry meters) {
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("kb.inference.tiers: at least one tier is required");
        }
        this.tiers = List.copyOf(tiers);
        this.threads = threads;
        this.meters = meters;
        for (Tier t : this.tiers) {
            Gauge.builder("kb.inference.degradation.state", t, Tier::stateValue).tag("tier", t.name())
                    .description("0 closed, 1 half-open (probing), 2 open").register(meters);
        }
        Gauge.builder("kb.inference.degradation.level", this, DegradationPolicy::level)
                .description("position of the best tier taking answers now; 0 is the first").register(meters);
    }

    public List<Tier> tiers() {
        return tiers;
    }

    /** The position of the first tier that takes answers now, or the number of tiers when none does. */
    public int level() {
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).admitsAnswers()) {
                return i;
            }
        }
        return tiers.size();
    }

    /**
     * The model tier that should rewrite a follow-up question now: the first tier taking answers, when it runs a
     * model and is not easing off.
     */
    public Optional<Tier> rewriter() {
        for (Tier t : tiers) {
            if (t.admitsAnswers()) {
                boolean skip = t.eased() && Boolean.TRUE.equals(t.properties().ease().skipRewrite());
                return t.isModel() && !skip ? Optional.of(t) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The largest context budget of the tiers, which stage 3 fills before a tier is chosen. */
    public int largestContextTokens() {
        return tiers.stream().mapToInt(t -> t.properties().contextTokens()).max().orElseThrow();
    }

    /**
     * Generates with the first tier that will.
     *
     * @param requestFor builds the request for a tier (its context budget and answer length)
     * @param sink       receives the answer's text
     * @throws NoTierAvailableException    when every tier refused or failed before answering
     * @throws AnswerInterruptedException when the answering tier failed midway
     */
    public TieredGeneration generate(Function<Tier, GenerationRequest> requestFor, TokenSink sink) {
        String firstTier = null;
        String reason = null;
        StringBuilder detail = new StringBuilder();
        for (Tier tier : tiers) {
            try {
                if (!tier.admitsAnswers()) {
                    throw new TierAttempt.Skipped("circuit_open", tier.name() + ": circuit "
                            + tier.circuit().getState().name().toLowerCase(java.util.Locale.ROOT));
                }
                boolean eased = tier.eased();
                GenerationRequest request = requestFor.apply(tier);
                TierAttempt.Result r = TierAttempt.run(tier, request, sink, threads);
                String why = firstTier != null ? reason : eased ? "eased" : "healthy";
                record(tier, why, r);
                return new TieredGeneration(tier.name(), why, firstTier, detail.isEmpty() ? null : detail.toString(),
                        request, r.generation(), r.ttftNanos());
            } catch (TierAttempt.Skipped skipped) {
                if (firstTier == null) {
                    firstTier = tier.name();
                    reason = skipped.reason;
                }
                detail.append(detail.isEmpty() ? "" : "; ").append(skipped.getMessage());
            } catch (TierAttempt.FailedMidAnswer failed) {
                Counter.builder("kb.inference.tier").tag("tier", tier.name()).tag("reason", "failed_midway")
                        .register(meters).increment();
                throw new AnswerInterruptedException(failed.getMessage(), failed.getCause());
            }
        }
        throw new NoTierAvailableException("no generator tier could answer: " + detail);
    }

    private void record(Tier tier, String reason, TierAttempt.Result r) {
        Counter.builder("kb.inference.tier").description("answers by the tier that produced them and why")
                .tag("tier", tier.name()).tag("reason", reason).register(meters).increment();
        Timer.builder("kb.inference.ttft").description("time to the first token of an answer")
                .tag("tier", tier.name()).register(meters).record(r.ttftNanos(), TimeUnit.NANOSECONDS);
        Counter.builder("kb.inference.tokens").tag("tier", tier.name()).tag("kind", "prompt").register(meters)
                .increment(r.generation().promptTokens());
        Counter.builder("kb.inference.tokens").tag("tier", tier.name()).tag("kind", "completion").register(meters)
                .increment(r.generation().completionTokens());
    }
}
