package io.kb.inference.degrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.kb.inference.degrade.ProgrammableGenerator.Play;
import io.kb.inference.generate.GenerationException;
import io.kb.inference.generate.GenerationRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link DegradationPolicy} with programmable generators and small tier settings (SLO 50 ms, first token within
 * 150 ms, a window of 4 calls of which 2 count): which tier answers, why, and what the circuits and meters say.
 * Time bounds are loose on purpose; what the tests pin down is which tier ran and which did not.
 */
class DegradationPolicyTest {

    private static final Duration SLO = Duration.ofMillis(50);
    private static final Duration FIRST_TOKEN_TIMEOUT = Duration.ofMillis(150);
    private static final Duration SLOW = Duration.ofSeconds(5);

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> streamed = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static TierProperties settings(String name, int maxConcurrent, Duration openFor) {
        return new TierProperties(name, TierProperties.Type.EXTRACTIVE, SLO, FIRST_TOKEN_TIMEOUT,
                Duration.ofSeconds(10), maxConcurrent, 50, 50, 4, 2, openFor, 3000, 256, null, null, null);
    }

    private static Tier tier(String name, ProgrammableGenerator generator) {
        return new Tier(settings(name, 8, Duration.ofSeconds(30)), generator);
    }

    private DegradationPolicy policy(Tier... tiers) {
        return new DegradationPolicy(List.of(tiers), threads, meters);
    }

    private TieredGeneration generate(DegradationPolicy policy) {
        return policy.generate(t -> new GenerationRequest("How many days of leave?", Locale.ENGLISH, List.of(),
                List.of(), t.properties().answerTokens(), Instant.now().plus(t.properties().timeout())), streamed::add);
    }

    private double tierCount(String tier, String reason) {
        var counter = meters.find("kb.inference.tier").tag("tier", tier).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private double state(String tier) {
        return meters.get("kb.inference.degradation.state").tag("tier", tier).gauge().value();
    }

    private double level() {
        return meters.get("kb.inference.degradation.level").gauge().value();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void theFirstTierAnswersWhenHealthy() {
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.answer("25 days", " [1]."));
        ProgrammableGenerator light = new ProgrammableGenerator(Play.answer("light"));
        DegradationPolicy policy = policy(tier("primary", primary), tier("light", light));

        TieredGeneration g = generate(policy);

        assertThat(g.tier()).isEqualTo("primary");
        assertThat(g.reason()).isEqualTo("healthy");
        assertThat(g.degradedFrom()).isNull();
        assertThat(g.detail()).isNull();
        assertThat(g.generation().text()).isEqualTo("25 days [1].");
        assertThat(streamed).containsExactly("25 days", " [1].");
        assertThat(light.calls()).isZero();
        assertThat(tierCount("primary", "healthy")).isEqualTo(1);
        assertThat(meters.get("kb.inference.ttft").tag("tier", "primary").timer().count()).isEqualTo(1);
        assertThat(meters.get("kb.inference.tokens").tag("tier", "primary").tag("kind", "completion").counter()
                .count()).isEqualTo(2);
    }

    @Test
    void aSlowFirstTierIsAbandonedForTheNextAfterTheFirstTokenTimeout() throws Exception {
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.answer("late").after(SLOW));
        ProgrammableGenerator light = new ProgrammableGenerator(Play.answer("light answer"));
        DegradationPolicy policy = policy(tier("primary", primary), tier("light", light));

        long start = System.nanoTime();
        TieredGeneration g = generate(policy);
        long took = millisSince(start);

        assertThat(g.tier()).isEqualTo("light");
        assertThat(g.reason()).isEqualTo("slow");
        assertThat(g.degradedFrom()).isEqualTo("primary");
        assertThat(g.detail()).contains("primary", "150 ms");
        assertThat(took).isBetween(FIRST_TOKEN_TIMEOUT.toMillis(), FIRST_TOKEN_TIMEOUT.toMillis() + 1000);
        assertThat(primary.awaitInterrupted(Duration.ofSeconds(2))).as("the slow generation was interrupted").isTrue();
        assertThat(streamed).containsExactly("light answer");
        assertThat(tierCount("light", "slow")).isEqualTo(1);
    }

    @Test
    void aSlowTiersLateTokenNeverReachesTheReader() throws Exception {
        // The generator ignores the interrupt: its token arrives after the policy moved on, and must be refused.
        CountDownLatch ignoreInterrupt = new CountDownLatch(1);
        List<Throwable> refused = new ArrayList<>();
        io.kb.inference.generate.Generator stubborn = (request, sink) -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (System.nanoTime() < until) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ignored) {
                    // deliberately deaf to the policy's interrupt
                }
            }
            try {
                sink.accept("late");
            } catch (RuntimeException e) {
                refused.add(e);
            } finally {
                ignoreInterrupt.countDown();
            }
            return new io.kb.inference.generate.Generation("late", 1, 1, "stop");
        };
        ProgrammableGenerator light = new ProgrammableGenerator(Play.answer("light answer"));
        DegradationPolicy policy = policy(new Tier(settings("primary", 8, Duration.ofSeconds(30)), stubborn),
                tier("light", light));

        TieredGeneration g = generate(policy);

        assertThat(g.tier()).isEqualTo("light");
        assertThat(ignoreInterrupt.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(refused).singleElement().isInstanceOf(io.kb.inference.generate.GenerationCancelledException.class);
        assertThat(streamed).containsExactly("light answer");
    }

    @Test
    void enoughSlowCallsOpenTheCircuitAndTheTierIsSkippedWithoutWaiting() {
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.answer("late").after(SLOW));
        ProgrammableGenerator light = new ProgrammableGenerator(Play.answer("light answer"));
        Tier first = tier("primary", primary);
        DegradationPolicy policy = policy(first, tier("light", light));

        generate(policy);
        generate(policy);
        assertThat(first.circuit().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(primary.calls()).isEqualTo(2);

        long start = System.nanoTime();
        TieredGeneration g = generate(policy);
        long took = millisSince(start);

        assertThat(g.tier()).isEqualTo("light");
        assertThat(g.reason()).isEqualTo("circuit_open");
        assertThat(g.degradedFrom()).isEqualTo("primary");
        assertThat(g.detail()).contains("primary: circuit open");
        assertThat(primary.calls()).as("an open circuit does not call its generator").isEqualTo(2);
        assertThat(took).isLessThan(FIRST_TOKEN_TIMEOUT.toMillis() + 1000);
        assertThat(tierCount("light", "slow")).isEqualTo(2);
        assertThat(tierCount("light", "circuit_open")).isEqualTo(1);
        assertThat(state("primary")).isEqualTo(2);
        assertThat(state("light")).isEqualTo(0);
        assertThat(level()).isEqualTo(1);
    }

    @Test
    void aFullQueueSendsTheAnswerToTheNextTier() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.answer("primary answer"))
                .then(Play.answer("in flight").thenHold(release));
        ProgrammableGenerator light = new ProgrammableGenerator(Play.answer("light answer"));
        DegradationPolicy policy = policy(new Tier(settings("primary", 1, Duration.ofSeconds(30)), primary),
                tier("light", light));
        Future<TieredGeneration> inFlight = threads.submit(() -> policy.generate(t -> new GenerationRequest(
                "q", Locale.ENGLISH, List.of(), List.of(), 10, Instant.now().plusSeconds(10)), text -> { }));
        assertThat(primary.awaitStarted(Duration.ofSeconds(5))).isTrue();

        TieredGeneration g = generate(policy);
        release.countDown();

        assertThat(g.tier()).isEqualTo("light");
        assertThat(g.reason()).isEqualTo("queue_full");
        assertThat(g.detail()).contains("primary: 1 generations already in flight");
        assertThat(primary.calls()).isEqualTo(1);
        assertThat(inFlight.get(5, TimeUnit.SECONDS).tier()).isEqualTo("primary");
    }

    @ParameterizedTest
    @CsvSource({"UNAVAILABLE, unavailable", "TIMEOUT, timeout", "OVERLOADED, overloaded", "FAILED, error"})
    void anErrorBeforeAnyTextFallsToTheNextTierSayingWhy(GenerationException.Kind kind, String reason) {
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.fail(kind));
        ProgrammableGenerator light = new ProgrammableGenerator(Play.answer("light answer"));
        DegradationPolicy policy = policy(tier("primary", primary), tier("light", light));

        TieredGeneration g = generate(policy);

        assertThat(g.tier()).isEqualTo("light");
        assertThat(g.reason()).isEqualTo(reason);
        assertThat(g.degradedFrom()).isEqualTo("primary");
        assertThat(g.detail()).contains("primary: " + kind + " on purpose");
        assertThat(streamed).containsExactly("light answer");
        assertThat(tierCount("light", reason)).isEqualTo(1);
    }

    @Test
    void failedCallsOpenTheCircuit() {
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.fail(GenerationException.Kind.UNAVAILABLE));
        Tier first = tier("primary", primary);
        DegradationPolicy policy = policy(first, tier("light", new ProgrammableGenerator(Play.answer("light"))));

        generate(policy);
        generate(policy);

        assertThat(first.circuit().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(generate(policy).reason()).isEqualTo("circuit_open");
        assertThat(primary.calls()).isEqualTo(2);
    }

    @Test
    void anErrorAfterTextWasSentInterruptsTheAnswerAndNoOtherTierIsCalled() {
        ProgrammableGenerator primary = new ProgrammableGenerator(
                Play.answer("Leave is", " 25").thenFail(GenerationException.Kind.FAILED));
        ProgrammableGenerator light = new ProgrammableGenerator(Play.answer("light answer"));
        DegradationPolicy policy = policy(tier("primary", primary), tier("light", light));

        AnswerInterruptedException e = catchThrowableOfType(AnswerInterruptedException.class, () -> generate(policy));

        assertThat(e).hasMessageContaining("primary");
        assertThat(light.calls()).isZero();
        assertThat(streamed).containsExactly("Leave is", " 25");
        assertThat(tierCount("primary", "failed_midway")).isEqualTo(1);
    }

    @Test
    void anErrorThatDoesNotSayTextWasSentStillCountsTheTextThatWas() {
        ProgrammableGenerator primary = new ProgrammableGenerator(new Play(Duration.ZERO, List.of("Leave is"),
                new GenerationException(GenerationException.Kind.UNAVAILABLE, "connection reset", false), null));
        ProgrammableGenerator light = new ProgrammableGenerator(Play.answer("light answer"));
        DegradationPolicy policy = policy(tier("primary", primary), tier("light", light));

        assertThatThrownBy(() -> generate(policy)).isInstanceOf(AnswerInterruptedException.class);
        assertThat(light.calls()).isZero();
    }

    @Test
    void whenEveryTierFailsNoTierIsAvailable() {
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.fail(GenerationException.Kind.UNAVAILABLE));
        ProgrammableGenerator light = new ProgrammableGenerator(Play.answer("late").after(SLOW));
        DegradationPolicy policy = policy(tier("primary", primary), tier("light", light));

        assertThatThrownBy(() -> generate(policy)).isInstanceOf(NoTierAvailableException.class)
                .hasMessageContaining("primary: UNAVAILABLE on purpose")
                .hasMessageContaining("light: no first token within 150 ms");
        assertThat(streamed).isEmpty();
    }

    @Test
    void theProberClosesAHalfOpenCircuitWhenTheTierIsFastAgain() throws Exception {
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.answer("late").after(SLOW));
        Tier first = new Tier(settings("primary", 8, Duration.ofMillis(300)), primary);
        DegradationPolicy policy = policy(first, tier("light", new ProgrammableGenerator(Play.answer("light"))));
        TierProber prober = new TierProber(policy.tiers(), threads);
        generate(policy);
        generate(policy);
        assertThat(state("primary")).isEqualTo(2);

        awaitState(first, CircuitBreaker.State.HALF_OPEN);
        assertThat(state("primary")).isEqualTo(1);
        assertThat(generate(policy).reason()).as("a half-open tier serves probes only").isEqualTo("circuit_open");
        primary.otherwise(Play.answer("OK"));
        int before = primary.calls();
        prober.run();
        prober.run();

        assertThat(first.circuit().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(primary.calls()).isEqualTo(before + 2);
        assertThat(state("primary")).isEqualTo(0);
        assertThat(level()).isEqualTo(0);
        TieredGeneration g = generate(policy);
        assertThat(g.tier()).isEqualTo("primary");
        assertThat(g.reason()).isEqualTo("healthy");
    }

    @Test
    void theProberReopensAHalfOpenCircuitWhenTheTierIsStillSlow() throws Exception {
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.answer("late").after(SLOW));
        Tier first = new Tier(settings("primary", 8, Duration.ofMillis(300)), primary);
        DegradationPolicy policy = policy(first, tier("light", new ProgrammableGenerator(Play.answer("light"))));
        TierProber prober = new TierProber(policy.tiers(), threads);
        generate(policy);
        generate(policy);
        awaitState(first, CircuitBreaker.State.HALF_OPEN);

        prober.run();
        prober.run();

        assertThat(first.circuit().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(state("primary")).isEqualTo(2);
        assertThat(generate(policy).tier()).isEqualTo("light");
    }

    @Test
    void theProberLeavesClosedCircuitsAlone() {
        ProgrammableGenerator primary = new ProgrammableGenerator(Play.answer("OK"));
        DegradationPolicy policy = policy(tier("primary", primary));

        new TierProber(policy.tiers(), threads).run();

        assertThat(primary.calls()).isZero();
    }

    private static void awaitState(Tier tier, CircuitBreaker.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tier.circuit().getState() != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(tier.circuit().getState()).isEqualTo(state);
    }
}
