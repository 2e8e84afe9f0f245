package io.kb.inference.degrade;

import io.kb.inference.generate.GeneratorReadiness;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code generators} health of the readiness probe: each tier's circuit and, for tiers backed by a server, the
 * model's readiness there. The service is ready while at least one tier can answer, since the policy then answers
 * from it; which tiers cannot is in the details.
 */
public final class GeneratorsHealthIndicator implements HealthIndicator {

    private final DegradationPolicy policy;

    public GeneratorsHealthIndicator(DegradationPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean anyCanAnswer = false;
        for (Tier tier : policy.tiers()) {
            boolean ready = !(tier.generator() instanceof GeneratorReadiness r) || r.ready();
            boolean canAnswer = ready && tier.admitsAnswers();
            anyCanAnswer |= canAnswer;
            details.put(tier.name(), Map.of("type", tier.properties().type().toString(), "ready", ready,
                    "circuit", tier.circuit().getState().name().toLowerCase(Locale.ROOT)));
        }
        return (anyCanAnswer ? Health.up() : Health.down()).withDetails(details).build();
    }
}
