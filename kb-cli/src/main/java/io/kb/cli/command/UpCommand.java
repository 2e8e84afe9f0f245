package io.kb.cli.command;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kb.cli.ingest.Ingestion;
import io.kb.cli.ingest.SampleKnowledgeBase;
import io.kb.cli.stack.LocalPrometheus;
import io.kb.cli.stack.LocalStack;
import io.kb.contracts.event.DocumentEvent;
import io.kb.cli.stack.ManagedProcess;
import io.kb.cli.stack.OpenAiTier;
import io.kb.cli.stack.StackException;
import io.kb.cli.stack.StackState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kb up}: the whole platform on this machine. */
@Command(name = "up", description = {"Start a Kafka broker and the five services on this machine and wait until all are ready.",
        "Ctrl-C (or kb down) stops everything."})
public final class UpCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = "--detach", description = "Return once everything is ready and leave it running.")
    boolean detach;

    @Option(names = "--timeout", description = "How long to wait for readiness (default: ${DEFAULT-VALUE}).",
            defaultValue = "PT3M", converter = DurationConverter.class)
    Duration timeout;

    @Option(names = "--no-samples", description = "Do not load the sample knowledge base.")
    boolean noSamples;

    @Option(names = "--with-prometheus", description = "Also start Prometheus on 127.0.0.1:9090 with the local "
            + "scrape configuration and the rules of monitoring/ (needs the prometheus binary on the PATH).")
    boolean withPrometheus;

    @Option(names = "--samples-timeout", defaultValue = "3m", converter = DurationConverter.class,
            description = "How long to follow the samples' indexing (default: ${DEFAULT-VALUE}).")
    Duration samplesTimeout;

    @Option(names = "--llm-url", paramLabel = "URL", description = {"Put a primary tier before the extractive one: "
            + "an OpenAI-compatible server at this base URL, /v1 included",
            "(Ollama: http://127.0.0.1:11434/v1, vLLM: http://HOST:8000/v1). Needs --llm-model."})
    URI llmUrl;

    @Option(names = "--llm-model", paramLabel = "NAME", description = "The model name that server expects.")
    String llmModel;

    @Option(names = "--llm-api-key-env", paramLabel = "VAR", description = "The environment variable holding the "
            + "server's API key, if it needs one; the key itself is never printed nor written to .kb/.")
    String llmApiKeyEnv;

    @Option(names = "--llm-slo", paramLabel = "DURATION", defaultValue = "500ms", converter = DurationConverter.class,
            description = "The primary tier's time-to-first-token SLO (default: ${DEFAULT-VALUE}); past twice this "
                    + "the extractive tier answers, and a tier often over it is skipped for a while.")
    Duration llmSlo;

    @Override
    public Integer call() {
        Optional<OpenAiTier> primary = primaryTier();
        LocalStack stack = primary.map(t -> options.stack().withServiceArgs("inference-service", t.thenExtractive()))
                .orElseGet(options::stack);
        ConsoleProgress progress = new ConsoleProgress(System.out);
        AtomicBoolean ready = new AtomicBoolean();
        AtomicBoolean stopping = new AtomicBoolean();
        // Registered before the start: Ctrl-C while waiting for readiness stops what was launched so far.
        Thread hook = new Thread(() -> {
            stopping.set(true);
            System.out.println();
            if (ready.get()) {
                System.out.println("Stopping the local stack...");
                stack.stop(progress);
            } else {
                System.out.println("Start interrupted; stopping what was started...");
                stack.abortStart(progress);
            }
        }, "kb-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("Starting the local stack (logs in " + stack.home().resolve("logs") + ")");
        StackState state;
        try {
            state = stack.start(progress, timeout);
        } catch (LocalStack.AlreadyRunningException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            System.out.println(e.getMessage());
            if (primary.isPresent()) {
                System.out.println("The running stack keeps its generator tiers; to change them, ./kb down first.");
            }
            return 0;
        }
        ready.set(true);
        progress.done();
        if (!noSamples) {
            loadSamples(stack);
        }
        printUrls(stack);
        System.out.println("  generator tiers         " + primary.map(OpenAiTier::describe).orElse("extractive"));
        if (withPrometheus) {
            startPrometheus(stack);
        }
        if (detach) {
            Runtime.getRuntime().removeShutdownHook(hook);
            System.out.println("Running in the background. ./kb status shows it; ./kb down stops it.");
            return 0;
        }
        return runUntilStopped(state, stopping);
    }

    /** The tier of the --llm-* options, checked before anything starts; empty without --llm-url. */
    Optional<OpenAiTier> primaryTier() {
        if (llmUrl == null) {
            if (llmModel != null || llmApiKeyEnv != null) {
                throw new IllegalArgumentException("--llm-model and --llm-api-key-env need --llm-url");
            }
            return Optional.empty();
        }
        if (llmModel == null) {
            throw new IllegalArgumentException("--llm-url needs --llm-model, the model name the server expects");
        }
        OpenAiTier tier = OpenAiTier.primary(llmUrl, llmModel, llmApiKeyEnv, llmSlo);
        if (llmApiKeyEnv != null) {
            String key = System.getenv(llmApiKeyEnv);
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("--llm-api-key-env: the environment variable " + llmApiKeyEnv
                        + " is not set or empty");
            }
        }
        return Optional.of(tier);
    }

    /** The sample knowledge base, published again at every start: unchanged files keep their versions. */
    private void loadSamples(LocalStack stack) {
        SampleKnowledgeBase samples = SampleKnowledgeBase.under(options.root);
        if (!samples.exists()) {
            return;
        }
        List<DocumentEvent> events = samples.events();
        System.out.println("Loading the sample knowledge base (tenant " + SampleKnowledgeBase.TENANT + ", "
                + events.size() + " documents)...");
        IngestProgress bar = new IngestProgress(events.size());
        try {
            bar.summarize(new Ingestion(stack.bootstrapServers()).publishAndFollow(events, samplesTimeout, bar::show));
        } catch (RuntimeException e) {
            System.out.println("! The sample knowledge base could not be loaded: " + e.getMessage());
        }
    }

    /** Prometheus beside the stack when the binary is there; otherwise how to get it. Never fails the start. */
    private void startPrometheus(LocalStack stack) {
        Optional<Path> binary = LocalPrometheus.binary();
        if (binary.isEmpty()) {
            System.out.println("! prometheus is not on the PATH, so it was not started. Install it with");
            System.out.println("    " + LocalPrometheus.HOW_TO_INSTALL);
            System.out.println("  then run ./kb down and ./kb up --with-prometheus again.");
            return;
        }
        try {
            LocalPrometheus.start(stack, options.root, binary.get());
            LocalPrometheus.grafanaHowTo(options.root).forEach(line -> System.out.println("  " + line));
        } catch (StackException e) {
            System.out.println("! Prometheus was not started: " + e.getMessage());
        }
    }

    private static void printUrls(LocalStack stack) {
        System.out.println();
        System.out.println("The platform is ready:");
        System.out.println("  chat and API (gateway)  " + stack.url("gateway"));
        System.out.println("  inference-service       " + stack.url("inference-service"));
        System.out.println("  retrieval-service       " + stack.url("retrieval-service"));
        System.out.println("  embedding-service       " + stack.url("embedding-service"));
        System.out.println("  ingest-service          " + stack.url("ingest-service"));
        System.out.println("  Kafka                   " + stack.bootstrapServers());
        System.out.println("  metrics                 <service>/actuator/prometheus");
    }

    private static int runUntilStopped(StackState state, AtomicBoolean stopping) {
        System.out.println("Press Ctrl-C to stop.");
        Set<String> reported = new HashSet<>();
        while (!stopping.get()) {
            // kb down from another terminal takes the stack away: then there is nothing left to watch.
            if (!state.anyAlive()) {
                System.out.println("The stack was stopped.");
                return 0;
            }
            for (ManagedProcess p : state.processes()) {
                if (!p.isAlive() && !stopping.get() && reported.add(p.name())) {
                    System.out.println("! " + p.name() + " stopped unexpectedly; see ./kb logs " + p.name());
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        }
        return 0;
    }
}
