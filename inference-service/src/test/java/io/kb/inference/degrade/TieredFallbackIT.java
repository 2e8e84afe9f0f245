package io.kb.inference.degrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Status;
import io.kb.inference.context.Source;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.PromptMessage;
import io.kb.inference.generate.extractive.ExtractiveGenerator;
import io.kb.inference.generate.triton.ScriptedTritonServer;
import io.kb.inference.generate.triton.ScriptedTritonServer.Script;
import io.kb.inference.generate.triton.TritonGenerator;
import io.kb.inference.generate.triton.TritonGeneratorProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The degradation policy over real adapters: a {@code primary} and a {@code light} {@link TritonGenerator}, each
 * against its own in-process scripted Triton (gRPC, no network), then an extractive tier. The primary hangs, then
 * the light tier fails too, and the answers fall from tier to tier; once the primary is fast again the prober,
 * scheduled as in production, closes its circuit and answers come from it again.
 */
class TieredFallbackIT {

    private static final Duration OPEN_FOR = Duration.ofMillis(800);
    private static final String QUESTION = "How many days of paid leave does an employee get?";
    private static final List<Source> SOURCES = List.of(new Source(1, "leave.md", "Leave", "leave-0",
            "Every employee gets 25 days of paid leave per year.", null, 0, 51, 1.0));

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService proberSchedule = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> streamed = new CopyOnWriteArrayList<>();
    private ScriptedTritonServer primaryServer;
    private ScriptedTritonServer lightServer;
    private TritonGenerator primaryModel;
    private TritonGenerator lightModel;
    private Tier primary;
    private Tier light;
    private DegradationPolicy policy;

    @BeforeEach
    void start() {
        primaryServer = ScriptedTritonServer.start();
        lightServer = ScriptedTritonServer.start();
        TritonGeneratorProperties primaryTriton = new TritonGeneratorProperties("primary:8001", "qwen-14b", "vllm",
                Duration.ofSeconds(30));
        TritonGeneratorProperties lightTriton = new TritonGeneratorProperties("light:8001", "qwen-1.5b", "vllm",
                Duration.ofSeconds(30));
        primaryModel = new TritonGenerator(primaryServer.channel(), primaryTriton);
        lightModel = new TritonGenerator(lightServer.channel(), lightTriton);
        primary = new Tier(modelTier("primary", primaryTriton), primaryModel);
        light = new Tier(modelTier("light", lightTriton), lightModel);
        Tier extractive = new Tier(TierProperties.extractive("extractive"),
                new ExtractiveGenerator(ExtractiveGenerator.Settings.DEFAULTS));
        policy = new DegradationPolicy(List.of(primary, light, extractive), threads, meters);
    }

    @AfterEach
    void stop() throws InterruptedException {
        proberSchedule.shutdownNow();
        primaryModel.close();
        lightModel.close();
        primaryServer.close();
        lightServer.close();
        threads.shutdownNow();
    }

    private static TierProperties modelTier(String name, TritonGeneratorProperties triton) {
        // An SLO and a first-token timeout with room for a loaded CI machine: the hung calls never answer anyway.
        return new TierProperties(name, TierProperties.Type.TRITON, Duration.ofMillis(300), Duration.ofMillis(1000),
                Duration.ofSeconds(10), 4, 50, 50, 4, 2, OPEN_FOR, 3000, 256, null, triton, null);
    }

    private TieredGeneration ask() {
        streamed.clear();
        return policy.generate(tier -> new GenerationRequest(QUESTION, Locale.ENGLISH, SOURCES,
                List.of(PromptMessage.system("Answer from the sources, citing them."), PromptMessage.user(QUESTION)),
                tier.properties().answerTokens(), Instant.now().plus(tier.properties().timeout())), streamed::add);
    }

    @Test
    void fallsBackToLightThenToExtractiveAndRecoversToPrimary() throws Exception {
        primaryServer.enqueue(Script.text().thenHang(), Script.text().thenHang());
        lightServer.enqueue(Script.text("Every employee", " gets 25 days [1]."),
                Script.text().thenStatus(Status.UNAVAILABLE.withDescription("light model unloaded")));

        // The primary hangs: the light tier answers.
        TieredGeneration fromLight = ask();
        assertThat(fromLight.tier()).isEqualTo("light");
        assertThat(fromLight.reason()).isEqualTo("slow");
        assertThat(fromLight.degradedFrom()).isEqualTo("primary");
        assertThat(fromLight.generation().text()).isEqualTo("Every employee gets 25 days [1].");
        assertThat(streamed).containsExactly("Every employee", " gets 25 days [1].");
        assertThat(primaryServer.awaitCancellation(Duration.ofSeconds(5)))
                .as("the hung primary call was cancelled on the server").isTrue();

        // The primary hangs again and the light tier fails: the extractive tier answers.
        TieredGeneration fromExtract = ask();
        assertThat(fromExtract.tier()).isEqualTo("extractive");
        assertThat(fromExtract.reason()).isEqualTo("slow");
        assertThat(fromExtract.detail()).contains("primary: no first token", "light:");
        assertThat(fromExtract.generation().text()).isEqualTo("Every employee gets 25 days of paid leave per year [1].");
        assertThat(String.join("", streamed)).isEqualTo(fromExtract.generation().text());

        // Both model tiers have opened their circuits: they are skipped without a call.
        assertThat(primary.circuit().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(light.circuit().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(meters.get("kb.inference.degradation.level").gauge().value()).isEqualTo(2);
        int primaryCalls = primaryServer.requests().size();
        int lightCalls = lightServer.requests().size();
        TieredGeneration skipping = ask();
        assertThat(skipping.tier()).isEqualTo("extractive");
        assertThat(skipping.reason()).isEqualTo("circuit_open");
        assertThat(primaryServer.requests()).hasSize(primaryCalls);
        assertThat(lightServer.requests()).hasSize(lightCalls);

        // The primary is fast again (its server's default script answers at once): after the open period the
        // prober's generations close its circuit, and answers come from it again.
        proberSchedule.scheduleWithFixedDelay(new TierProber(policy.tiers(), threads), 100, 100, TimeUnit.MILLISECONDS);
        awaitClosed(primary, Duration.ofSeconds(10));
        assertThat(primaryServer.requests().size()).as("probes reached the primary").isGreaterThanOrEqualTo(
                primaryCalls + 2);
        TieredGeneration recovered = ask();
        assertThat(recovered.tier()).isEqualTo("primary");
        assertThat(recovered.reason()).isEqualTo("healthy");
        assertThat(recovered.degradedFrom()).isNull();
        assertThat(recovered.generation().text()).isEqualTo("ok");
        assertThat(meters.get("kb.inference.degradation.level").gauge().value()).isZero();
        assertThat(meters.get("kb.inference.tier").tag("tier", "light").tag("reason", "slow").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("kb.inference.tier").tag("tier", "extractive").tag("reason", "slow").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("kb.inference.tier").tag("tier", "extractive").tag("reason", "circuit_open").counter()
                .count()).isEqualTo(1);
        assertThat(meters.get("kb.inference.tier").tag("tier", "primary").tag("reason", "healthy").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aPrimaryWhoseModelIsNotReadyFailsItsProbesAndStaysOut() throws Exception {
        primaryServer.enqueue(Script.text().thenHang(), Script.text().thenHang());
        ask();
        ask();
        assertThat(primary.circuit().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        primaryServer.ready(true, false);
        int calls = primaryServer.requests().size();

        proberSchedule.scheduleWithFixedDelay(new TierProber(policy.tiers(), threads), 100, 100, TimeUnit.MILLISECONDS);
        Thread.sleep(OPEN_FOR.toMillis() + 700);

        assertThat(primaryServer.modelReadyAsked()).as("the prober asked the server").isNotEmpty();
        assertThat(primaryServer.requests()).as("no generation was sent to a model that is not ready").hasSize(calls);
        assertThat(primary.admitsAnswers()).isFalse();
        assertThat(ask().tier()).isEqualTo("light");
    }

    private static void awaitClosed(Tier tier, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tier.circuit().getState() != CircuitBreaker.State.CLOSED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(tier.circuit().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
