package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import io.kb.cli.bench.AnswerBenchResult.Degradation;
import io.kb.cli.bench.AnswerBenchResult.Measurement;
import io.kb.cli.bench.AnswerBenchResult.Reaction;
import io.kb.cli.bench.AnswerBenchResult.Verdict;
import org.junit.jupiter.api.Test;

class AnswerBenchResultTest {

    private static final long MS = 1_000_000;

    /** An answer sent at {@code startMs} that took {@code latencyMs}, with the pipeline's own timings. */
    private static AnswerSample answer(long startMs, long latencyMs, String tier, String reason, String from,
            double total, double retrieve, double generate) {
        return new AnswerSample(startMs * MS, (startMs + latencyMs) * MS, 200, tier, reason, from, total, retrieve,
                generate, null);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(AnswerBenchResult.percentile(hundred, 0.50)).isEqualTo(50);
        assertThat(AnswerBenchResult.percentile(hundred, 0.99)).isEqualTo(99);
        assertThat(AnswerBenchResult.percentile(new double[] {7}, 0.99)).isEqualTo(7);
    }

    @Test
    void measuresRateLatencyAndTheShareOfTimeOutsideRetrievalAndGeneration() {
        List<AnswerSample> samples = List.of(
                answer(0, 100, "extractive", "healthy", null, 90, 60, 20),
                answer(100, 300, "extractive", "healthy", null, 290, 200, 60),
                answer(400, 100, "extractive", "healthy", null, 100, 70, 20),
                AnswerSample.failure(500 * MS, 1000 * MS, 503, "overloaded"));

        Measurement m = Measurement.of("A", 1, samples);

        assertThat(m.failed()).isEqualTo(1);
        assertThat(m.answersPerSecond()).isCloseTo(3.0, within(1e-9));
        assertThat(m.p50Millis()).isEqualTo(100);
        assertThat(m.p99Millis()).isEqualTo(500);
        // outside: 10 + 30 + 10 = 50 of 480 ms
        assertThat(m.overheadShare()).isCloseTo(50.0 / 480, within(1e-9));
        assertThat(m.tiers()).containsEntry("extractive/healthy", 3).hasSize(1);
    }

    @Test
    void theReactionWindowEndsAtTheFirstAnswerThatSkippedTheOpenCircuit() {
        List<AnswerSample> afterSwitch = new ArrayList<>(List.of(
                answer(0, 1100, "extractive", "slow", "primary", 1090, 30, 1050),
                answer(10, 40, "primary", "healthy", null, 38, 20, 15),
                answer(1100, 1080, "extractive", "slow", "primary", 1070, 30, 1030),
                answer(2180, 60, "extractive", "circuit_open", "primary", 55, 30, 10),
                answer(2240, 50, "extractive", "circuit_open", "primary", 45, 30, 8)));
        java.util.Collections.shuffle(afterSwitch, new java.util.Random(3));

        Reaction r = Reaction.of(afterSwitch, 0);

        assertThat(r.requestsUntilOpen()).isEqualTo(4);
        assertThat(r.slowFallbacks()).isEqualTo(2);
        assertThat(r.secondsUntilOpen()).isCloseTo(2.24, within(1e-9));
        assertThat(r.worstMillis()).isEqualTo(1100);
        assertThat(Reaction.of(afterSwitch.stream().filter(s -> !s.skippedOpenCircuit()).toList(), 0).reacted())
                .isFalse();
    }

    @Test
    void judgesOverheadAndTheLatencyBoundAfterTheReactionAgainstPhaseA() {
        Measurement a1 = new Measurement("A", 1, 60, 0, 10, 80, 150, 160, 0.04, java.util.Map.of());
        Measurement a4 = new Measurement("A", 4, 60, 0, 20, 150, 400, 420, 0.12, java.util.Map.of());
        Measurement fast = new Measurement("B fast", 4, 60, 0, 15, 200, 300, 310, 0.05, java.util.Map.of());
        Measurement after = new Measurement("B after", 4, 60, 0, 19, 160, 880, 900, 0.05, java.util.Map.of());
        Degradation d = new Degradation(500, 50, 2000, fast, new Reaction(6, 5, 3.2, 1200), after, 0);

        List<Verdict> verdicts = AnswerBenchResult.verdicts(List.of(a1, a4), d);

        assertThat(verdicts).extracting(Verdict::met).containsExactly(true, false, true, true, true);
        assertThat(verdicts.get(3).target()).contains("500 + 400 = 900 ms");
        Degradation tooSlow = new Degradation(500, 50, 2000, fast, d.reaction(),
                new Measurement("B after", 4, 60, 0, 19, 160, 950, 990, 0.05, java.util.Map.of()), 1);
        assertThat(AnswerBenchResult.verdicts(List.of(a1, a4), tooSlow)).extracting(Verdict::met)
                .containsExactly(true, false, true, false, false);
        assertThat(new AnswerBenchResult(List.of(a1, a4), d, verdicts).table())
                .contains("reaction window: 6 answers (5 waited for the slow primary and fell back), 3.2 s")
                .contains("NOT MET  orchestration overhead <= 10% (concurrency 4): 12.0%");
    }
}
