package io.kb.inference.degrade;

import io.kb.inference.generate.GenerationCancelledException;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.GeneratorReadiness;
import io.kb.inference.generate.PromptMessage;
import io.kb.inference.generate.TokenSink;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests tiers whose circuit is half-open with small generations of its own, so that no asker waits on a tier that
 * may still be slow: two probes within the SLO close the circuit; when one of the two is slow or fails, the circuit opens again. A tier
 * whose server says it is not ready fails its probe without a generation.
 */
public final class TierProber implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TierProber.class);

    private final List<Tier> tiers;
    private final ExecutorService threads;

    public TierProber(List<Tier> tiers, ExecutorService threads) {
        this.tiers = List.copyOf(tiers);
        this.threads = threads;
    }

    @Override
    public void run() {
        for (Tier tier : tiers) {
            if (tier.circuit().getState() == CircuitBreaker.State.HALF_OPEN && tier.circuit().tryAcquirePermission()) {
                probe(tier);
            }
        }
    }

    private void probe(Tier tier) {
        if (tier.generator() instanceof GeneratorReadiness readiness && !readiness.ready()) {
            tier.circuit().onError(0, TimeUnit.NANOSECONDS, new IllegalStateException("not ready"));
            log.info("probe of tier {}: its server is not ready", tier.name());
            return;
        }
        GenerationRequest ping = new GenerationRequest("ping", Locale.ENGLISH, List.of(),
                List.of(PromptMessage.system("Reply with the single word OK."), PromptMessage.user("ping")), 1,
                Instant.now().plus(tier.properties().firstTokenTimeout()));
        try {
            TierAttempt.Result r = TierAttempt.run(tier, ping, TokenSink.discard(), threads);
            log.info("probe of tier {}: first token after {} ms, circuit now {}", tier.name(),
                    r.ttftNanos() / 1_000_000, tier.circuit().getState());
        } catch (TierAttempt.Skipped | TierAttempt.FailedMidAnswer | GenerationCancelledException e) {
            log.info("probe of tier {} failed: {}; circuit now {}", tier.name(), e.getMessage(),
                    tier.circuit().getState());
        }
    }
}
