package io.kb.inference.generate.triton;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** A tier's health follows its generator's readiness. */
class TritonGeneratorHealthIndicatorTest {

    @Test
    void shouldBeUpWhenTheGeneratorIsReady() {
        Health health = new TritonGeneratorHealthIndicator("primary", () -> true).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("tier", "primary");
    }

    @Test
    void shouldBeDownWhenTheGeneratorIsNotReady() {
        assertThat(new TritonGeneratorHealthIndicator("primary", () -> false).health().getStatus())
                .isEqualTo(Status.DOWN);
    }

    @Test
    void shouldBeDownWhenAskingFails() {
        Health health = new TritonGeneratorHealthIndicator("primary", () -> {
            throw new IllegalStateException("no channel");
        }).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("tier", "primary");
    }
}
