package io.kb.cli.bench;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.kb.cli.bench.AnswerBenchResult.Degradation;
import io.kb.cli.bench.AnswerBenchResult.Measurement;
import io.kb.cli.bench.AnswerBenchResult.Reaction;
import io.kb.cli.command.StackOptions;
import io.kb.cli.llm.StandInLlm;
import io.kb.cli.stack.LocalStack;
import io.kb.cli.stack.ManagedProcess;
import io.kb.cli.stack.OpenAiTier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kb bench answer}: the answer pipeline's throughput, latency and orchestration overhead, and how the
 * degradation policy copes with a slow primary tier. The steps:
 * <ol>
 *   <li>phase A: the sample questions, uncached, to the running stack's inference-service at each concurrency:
 *       answers/s, p50/p99, and the share of the pipeline's time outside retrieval and generation;</li>
 *   <li>phase B: a stand-in model server in this process and a second inference-service beside the stack, with a
 *       primary tier on the stand-in (SLO 500 ms) before the extractive tier;</li>
 *   <li>the same load with the stand-in fast;</li>
 *   <li>the stand-in's first token raised to 2 s while the load goes on: the answers until the primary's circuit
 *       opened, then the latency of the requests sent after that, against the SLO plus phase A's p99;</li>
 *   <li>the second instance and the stand-in are stopped, whatever happened.</li>
 * </ol>
 * A measurement, not a gate: the exit code is 1 only when requests failed.
 */
@Command(name = "answer", description = {
        "Measure answers through the running local stack's inference-service (extractive tier): answers/s, p50/p99,",
        "and the orchestration overhead (target <= 10%); then, on a second inference-service with a primary tier on a",
        "stand-in model, raise its first-token latency to 2 s and check that after the policy reacts p99 stays under",
        "the SLO plus the extractive p99, with no failed request.",
        "Exit code: 0 measured, 1 some requests failed."})
public final class AnswerBenchmark implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The password of the local issuer's demo users (samples/knowledge-base/README.md). */
    private static final String DEMO_PASSWORD = "demo";
    private static final String BESIDE = "inference-service-bench";

    @Mixin
    StackOptions options;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,4",
            description = "Requests in flight at once, one phase A run each (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--requests", defaultValue = "60",
            description = "Requests per measurement (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warm-up", defaultValue = "10",
            description = "Requests sent first and not counted, per instance (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--inference-url", description = "Phase A's inference-service (default: the local stack's).")
    URI inferenceUrl;

    @Option(names = "--no-degradation", description = "Run phase A only.")
    boolean noDegradation;

    @Option(names = "--degradation-concurrency", description = "Phase B's concurrency (default: the largest of "
            + "--concurrency).")
    Integer degradationConcurrency;

    @Option(names = "--slo", defaultValue = "500ms", converter = io.kb.cli.command.DurationConverter.class,
            description = "Phase B's primary tier SLO (default: ${DEFAULT-VALUE}).")
    Duration slo;

    @Option(names = "--fast-latency", defaultValue = "50ms", converter = io.kb.cli.command.DurationConverter.class,
            description = "The stand-in's first-token delay before the switch (default: ${DEFAULT-VALUE}).")
    Duration fastLatency;

    @Option(names = "--slow-latency", defaultValue = "2s", converter = io.kb.cli.command.DurationConverter.class,
            description = "Its first-token delay after the switch (default: ${DEFAULT-VALUE}).")
    Duration slowLatency;

    @Option(names = "--reaction-timeout", defaultValue = "2m", converter = io.kb.cli.command.DurationConverter.class,
            description = "How long to wait for the policy to react (default: ${DEFAULT-VALUE}).")
    Duration reactionTimeout;

    @Option(names = "--json", description = "Print the result as JSON (progress goes to standard error).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintStream log = json ? System.err : System.out;
        LocalStack stack = options.stack();
        URI inference = inferenceUrl != null ? inferenceUrl : stack.url("inference-service");
        List<AnswerLoad.Ask> asks = AnswerLoad.sampleQuestions(
                options.root().resolve("samples/knowledge-base/questions.tsv"), stack.url("gateway"), DEMO_PASSWORD);
        AnswerLoad load = new AnswerLoad(asks, Duration.ofMinutes(2));
        log.printf(Locale.ROOT, "%d answerable sample questions, asked uncached as their demo users.%n", asks.size());

        // 1. Phase A: the stack as it runs.
        log.printf(Locale.ROOT, "Phase A: %s, %d warm-up requests...%n", inference, warmUp);
        load.run(inference, 1, warmUp);
        List<Measurement> phaseA = new ArrayList<>();
        for (int c : concurrency) {
            log.printf(Locale.ROOT, "  %d requests at concurrency %d...%n", requests, c);
            phaseA.add(Measurement.of("A stack's inference-service", c, load.run(inference, c, requests)));
        }

        // 2.-5. Phase B: a primary tier on the stand-in, beside the stack.
        Degradation degradation = noDegradation ? null : degrade(stack, load, log);

        AnswerBenchResult result = new AnswerBenchResult(phaseA, degradation,
                AnswerBenchResult.verdicts(phaseA, degradation));
        if (json) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            System.out.println();
            System.out.print(result.table());
            System.out.printf(Locale.ROOT, "  (%d processors; latencies as the client saw them, overhead from each "
                    + "answer's timings: (total - retrieve - generate) / total)%n",
                    Runtime.getRuntime().availableProcessors());
        }
        int failed = phaseA.stream().mapToInt(Measurement::failed).sum()
                + (degradation == null ? 0 : degradation.failedRequests());
        return failed == 0 ? 0 : 1;
    }

    private Degradation degrade(LocalStack stack, AnswerLoad load, PrintStream log) {
        int c = degradationConcurrency != null ? degradationConcurrency
                : concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
        StandInLlm llm = StandInLlm.start(0, StandInLlm.DEFAULT_MODEL, fastLatency);
        ManagedProcess[] beside = new ManagedProcess[1];
        // Ctrl-C must not leave the second instance running: it is in a session of its own and no kb down knows it.
        Thread cleanup = new Thread(() -> stopQuietly(beside[0], llm), "kb-bench-stop");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            log.printf(Locale.ROOT, "Phase B: stand-in model at %s (first token %d ms); starting a second "
                    + "inference-service with tiers primary (SLO %d ms) -> extractive...%n", llm.baseUrl(),
                    fastLatency.toMillis(), slo.toMillis());
            OpenAiTier primary = OpenAiTier.primary(llm.baseUrl(), llm.model(), null, slo);
            beside[0] = stack.startBeside("inference-service", BESIDE, primary.thenExtractive(), Duration.ofMinutes(3));
            URI url = URI.create("http://127.0.0.1:" + beside[0].port());
            log.printf(Locale.ROOT, "  ready at %s (log: %s); %d warm-up requests...%n", url, beside[0].log(), warmUp);
            int failed = failures(load.run(url, 1, warmUp));

            // 3. Fast.
            log.printf(Locale.ROOT, "  %d requests at concurrency %d, stand-in fast...%n", requests, c);
            Measurement fast = Measurement.of("B primary fast (" + fastLatency.toMillis() + " ms)", c,
                    load.run(url, c, requests));
            failed += fast.failed();

            // 4. Slow, with the load kept on until `requests` more were sent after the circuit opened.
            log.printf(Locale.ROOT, "  stand-in first token now %d ms; load goes on until the policy reacts...%n",
                    slowLatency.toMillis());
            long switchNanos = System.nanoTime();
            llm.setFirstTokenDelay(slowLatency);
            AtomicLong reactedAt = new AtomicLong(-1);
            AtomicInteger sentAfter = new AtomicInteger();
            long limit = switchNanos + reactionTimeout.toNanos();
            List<AnswerSample> slowPart = load.run(url, c, () -> reactedAt.get() < 0
                            ? System.nanoTime() < limit : sentAfter.incrementAndGet() <= requests,
                    s -> {
                        if (s.skippedOpenCircuit()) {
                            reactedAt.compareAndSet(-1, s.endNanos());
                        }
                    });
            failed += failures(slowPart);
            Reaction reaction = Reaction.of(slowPart, switchNanos);
            List<AnswerSample> after = slowPart.stream().filter(s -> reactedAt.get() >= 0
                    && s.startNanos() > reactedAt.get()).toList();
            Measurement afterReaction = after.isEmpty() ? null : Measurement.of("B after reaction ("
                    + slowLatency.toMillis() + " ms)", c, after);
            return new Degradation(slo.toMillis(), fastLatency.toMillis(), slowLatency.toMillis(), fast, reaction,
                    afterReaction, failed);
        } finally {
            stopQuietly(beside[0], llm);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or has run; it stops the same things
            }
        }
    }

    private static int failures(List<AnswerSample> samples) {
        return (int) samples.stream().filter(AnswerSample::failed).count();
    }

    private static void stopQuietly(ManagedProcess process, StandInLlm llm) {
        if (process != null) {
            process.stop();
        }
        llm.close();
    }

    private void validate() {
        if (requests < 1 || warmUp < 0 || concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1 || c > 256)
                || degradationConcurrency != null && (degradationConcurrency < 1 || degradationConcurrency > 256)) {
            throw new IllegalArgumentException("--requests must be 1 or more, --warm-up 0 or more, and each "
                    + "concurrency 1..256");
        }
        if (slo.isZero() || slo.isNegative() || fastLatency.isNegative() || slowLatency.compareTo(slo) <= 0) {
            throw new IllegalArgumentException("--slo must be positive, --fast-latency 0 or more, and --slow-latency "
                    + "above --slo (else nothing is slow)");
        }
    }
}
