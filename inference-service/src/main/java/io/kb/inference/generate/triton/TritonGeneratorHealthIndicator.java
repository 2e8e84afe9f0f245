package io.kb.inference.generate.triton;

import io.kb.inference.generate.GeneratorReadiness;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of one generator tier backed by a server, asked anew on every check: UP when the generator says its model
 * is ready, DOWN otherwise. Not registered on its own: whoever builds the tiers decides which of them count towards
 * the service's readiness and registers one indicator per tier.
 */
public class TritonGeneratorHealthIndicator implements HealthIndicator {

    private final String tierName;
    private final GeneratorReadiness readiness;

    /**
     * @param tierName  the tier's name, shown in the health details
     * @param readiness the tier's generator, e.g. a {@link TritonGenerator}
     */
    public TritonGeneratorHealthIndicator(String tierName, GeneratorReadiness readiness) {
        this.tierName = tierName;
        this.readiness = readiness;
    }

    @Override
    public Health health() {
        boolean ready;
        try {
            ready = readiness.ready();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("tier", tierName).build();
        }
        return (ready ? Health.up() : Health.down()).withDetail("tier", tierName)
                .withDetail("generator", readiness.toString()).build();
    }
}
