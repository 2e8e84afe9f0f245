package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class QuietMachineTest {

    /** Loads read in turn (the first one only starts the interval), on a clock that the sleeps move. */
    private static QuietMachine machine(List<Double> loads, Duration timeout) {
        ArrayDeque<Double> queue = new ArrayDeque<>(loads);
        AtomicLong now = new AtomicLong();
        return new QuietMachine(() -> queue.isEmpty() ? 1.0 : queue.poll(), now::get,
                d -> now.addAndGet(d.toNanos()), 0.15, 2, Duration.ofMillis(500), timeout);
    }

    @Test
    void waitsForConsecutiveQuietSamplesAfterTheBusyOnes() {
        QuietMachine.Wait wait = machine(List.of(0.0, 0.95, 0.60, 0.10, 0.40, 0.12, 0.08), Duration.ofMinutes(1))
                .await();

        // 0.10 alone is not enough: 0.40 breaks the run, and 0.12 then 0.08 end it, at the sixth sample.
        assertThat(wait.quiet()).isTrue();
        assertThat(wait.waited()).isEqualTo(Duration.ofMillis(3000));
        assertThat(wait.lastLoad()).isEqualTo(0.08);
    }

    @Test
    void givesUpAtTheTimeoutWhenTheMachineStaysBusy() {
        QuietMachine.Wait wait = machine(List.of(), Duration.ofSeconds(5)).await();

        assertThat(wait.quiet()).isFalse();
        assertThat(wait.waited()).isEqualTo(Duration.ofSeconds(5));
        assertThat(wait.lastLoad()).isEqualTo(1.0);
    }

    @Test
    void aLoadTheSystemDoesNotReportCountsAsQuiet() {
        QuietMachine.Wait wait = machine(List.of(-1.0, -1.0, -1.0), Duration.ofMinutes(1)).await();

        assertThat(wait.quiet()).isTrue();
        assertThat(wait.waited()).isEqualTo(Duration.ofSeconds(1));
    }
}
