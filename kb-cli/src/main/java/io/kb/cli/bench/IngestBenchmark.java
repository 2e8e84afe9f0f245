package io.kb.cli.bench;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import io.kb.cli.ingest.DocumentPublisher;
import io.kb.cli.ingest.StatusTracker;
import io.kb.cli.ingest.StatusTracker.Outcome;
import io.kb.cli.stack.StackPorts;
import io.kb.contracts.FieldRules;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.IngestState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kb bench ingest}: how close the ingestion pipeline comes to the embedding model's own rate, on one run's
 * texts. First, unless {@code --warm-up-documents 0}, one round's worth of documents goes through the pipeline
 * unmeasured, as the raw phase sends a few texts before it is timed: right after {@code kb up} the services' code is
 * still interpreted or being compiled, and round 1 would measure the JIT compilers more than the pipeline. Then the
 * steps:
 * <ol>
 *   <li>make synthetic documents;</li>
 *   <li>publish them and follow them to INDEXED, timing the pipeline;</li>
 *   <li>read back the chunk texts the pipeline embedded, from {@code kb.chunks.v1};</li>
 *   <li>send exactly those texts to embedding-service directly, as ingest-service does, timing the model;</li>
 *   <li>print both rates and their ratio.</li>
 * </ol>
 * Before each timed phase the bench waits until the machine's CPUs are mostly idle ({@link QuietMachine}), so that
 * neither phase pays for work the other left behind.
 * With {@code --rounds R} steps 1 to 5 run R times, each round on its own tenant ({@code <tenant>-r<n>}) and its own
 * texts, so that the two phases alternate (pipeline, raw, pipeline, raw...) and a drift of the machine's load is
 * shared by both; the median of the rounds' ratios is the result.
 * A measurement, not a gate: it fails only when documents failed or did not finish in time.
 */
@Command(name = "ingest", description = {
        "Ingest synthetic documents through the running local stack, then embed the same chunk texts with the model",
        "directly, and compare the two rates (target: pipeline >= 0.8 x raw model).",
        "Exit code: 0 measured, 1 some documents failed, 4 timed out."})
public final class IngestBenchmark implements Callable<Integer> {

    /** Exit code when some document could not be ingested. */
    static final int SOME_FAILED = 1;
    /** Exit code when documents were still pending at the timeout. */
    static final int TIMED_OUT = 4;

    private static final int WARM_UP_TEXTS = 8;
    private static final DateTimeFormatter TENANT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final QuietMachine quiet = QuietMachine.system();

    @Option(names = "--documents", defaultValue = "200", description = "Documents to ingest (default: ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--paragraphs", defaultValue = "6", description = "Paragraphs per document (default: ${DEFAULT-VALUE}).")
    int paragraphs;

    @Option(names = "--tenant", description = "The tenant to ingest into (default: bench-<UTC time>, a new one each run).")
    String tenant;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the document texts (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "32",
            description = "Texts per direct embedding request, as ingest-service sends them (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--concurrency", defaultValue = "2",
            description = "Direct embedding requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rounds", defaultValue = "1",
            description = "Pipeline and raw-model phases, alternated this many times; the median ratio counts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warm-up-documents",
            description = {"Documents ingested first, on their own tenant (<tenant>-warm-up), and not measured, so that the",
                    "services' JIT compilers have seen the pipeline's code before round 1; 0 skips it",
                    "(default: as many as --documents, one unmeasured round)."})
    Integer warmUpDocuments;

    @Option(names = "--timeout", defaultValue = "PT10M",
            description = "How long to follow the documents, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--bootstrap-servers", description = "Kafka (default: the local stack's broker).")
    String bootstrapServers;

    @Option(names = "--embedding-url", description = "embedding-service (default: the local stack's).")
    URI embeddingUrl;

    @Override
    public Integer call() {
        validate();
        StackPorts ports = StackPorts.defaults();
        String kafka = bootstrapServers != null ? bootstrapServers : "127.0.0.1:" + ports.kafka();
        URI embedding = embeddingUrl != null ? embeddingUrl : URI.create("http://127.0.0.1:" + ports.embedding());
        String kb = tenant != null ? tenant : defaultTenant(ZonedDateTime.now(ZoneOffset.UTC));

        int warmUp = warmUpDocuments();
        if (warmUp > 0) {
            List<DocumentEvent> events = new SyntheticDocuments(seed - 1).events(kb + "-warm-up", warmUp,
                    paragraphs, System.currentTimeMillis());
            System.out.printf(Locale.ROOT, "Warming up the pipeline with %d documents (not measured)...%n", events.size());
            int exitCode = check(runPipeline(kafka, events), events.size());
            if (exitCode != 0) {
                return exitCode;
            }
        }

        List<IngestBenchResult> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String roundTenant = rounds == 1 ? kb : kb + "-r" + round;
            Measured measured = measure(kafka, embedding, roundTenant, seed + round - 1);
            if (measured.exitCode() != 0) {
                return measured.exitCode();
            }
            results.add(measured.result());
            if (rounds > 1) {
                System.out.print(IngestBenchRounds.line(round, measured.result()));
            }
        }

        // 5. The table; for several rounds, the median round's, then every ratio and their median.
        IngestBenchRounds all = new IngestBenchRounds(results);
        System.out.println();
        System.out.print(all.medianRound().table());
        if (rounds > 1) {
            System.out.print(all.summary());
        }
        return 0;
    }

    /** One round: its result, or the exit code that ends the run without one. */
    private record Measured(IngestBenchResult result, int exitCode) {
    }

    /** Steps 1 to 4 for one tenant. */
    private Measured measure(String kafka, URI embedding, String kb, long textSeed) {
        // 1. Documents.
        List<DocumentEvent> events = new SyntheticDocuments(textSeed).events(kb, documents, paragraphs,
                System.currentTimeMillis());

        // 2. The pipeline, from the first publish to the last INDEXED.
        awaitQuiet();
        System.out.printf(Locale.ROOT, "Ingesting %d documents into tenant %s...%n", events.size(), kb);
        PipelineRun pipeline = runPipeline(kafka, events);
        int exitCode = check(pipeline, events.size());
        if (exitCode != 0) {
            return new Measured(null, exitCode);
        }
        long chunks = pipeline.outcomes().values().stream().map(Outcome::chunkCount).filter(Objects::nonNull)
                .mapToLong(Integer::longValue).sum();

        // 3. The texts the model embedded for them.
        Map<String, Long> versions = new LinkedHashMap<>();
        events.forEach(e -> versions.put(e.key().asString(), e.version()));
        List<String> texts = new ChunkTextReader(kafka).read(versions, Duration.ofMinutes(2));
        if (texts.size() != chunks) {
            System.out.printf(Locale.ROOT, "Note: read %d chunk texts back, the statuses counted %d.%n",
                    texts.size(), chunks);
        }

        // 4. The same texts, straight to the model, after a warm-up that is not counted; the pipeline's merges and
        //    compilations that outlast its last document would otherwise be charged to the model.
        awaitQuiet();
        System.out.printf(Locale.ROOT, "Embedding the %d chunk texts directly (%d per request, %d at a time)...%n",
                texts.size(), batchSize, concurrency);
        DirectEmbedding model = new DirectEmbedding(embedding, kb, batchSize, concurrency);
        model.embed(texts.subList(0, Math.min(WARM_UP_TEXTS, texts.size())));
        DirectEmbedding.Run raw = model.embed(texts);
        return new Measured(new IngestBenchResult(events.size(), chunks, pipeline.elapsed(), raw.texts(),
                raw.elapsed(), raw.model(), Runtime.getRuntime().availableProcessors()), 0);
    }

    /** Waits for the machine to go quiet before a timed phase, and says so when that took a while or failed. */
    private void awaitQuiet() {
        QuietMachine.Wait wait = quiet.await();
        if (!wait.quiet()) {
            System.out.printf(Locale.ROOT, "Note: the machine was still busy after %d s (CPU load %.0f%%); measuring anyway.%n",
                    wait.waited().toSeconds(), wait.lastLoad() * 100);
        } else if (wait.waited().compareTo(Duration.ofSeconds(2)) > 0) {
            System.out.printf(Locale.ROOT, "Waited %.1f s for the machine to go quiet.%n", wait.waited().toMillis() / 1000.0);
        }
    }

    /** 0 when every document was indexed; otherwise says what failed and returns the exit code. */
    private int check(PipelineRun pipeline, int documents) {
        long failed = pipeline.outcomes().values().stream().filter(o -> o.state() == IngestState.FAILED).count();
        if (failed == 0 && pipeline.pending().isEmpty()) {
            return 0;
        }
        System.out.printf(Locale.ROOT, "Not measured: %d of %d documents failed, %d still pending after %s.%n",
                failed, documents, pipeline.pending().size(), timeout);
        pipeline.outcomes().values().stream().filter(o -> o.state() == IngestState.FAILED).limit(5)
                .forEach(o -> System.out.println("  failed  " + o.documentId() + ": " + o.reason()));
        return failed > 0 ? SOME_FAILED : TIMED_OUT;
    }

    /** The outcome of step 2. */
    private record PipelineRun(Map<String, Outcome> outcomes, List<String> pending, Duration elapsed) {
    }

    /**
     * What {@code Ingestion.publishAndFollow} does, with the clock started at the first publish rather than
     * before the status consumer and the producer connect, which would count their start-up as pipeline time.
     */
    private PipelineRun runPipeline(String kafka, List<DocumentEvent> events) {
        try (StatusTracker tracker = new StatusTracker(kafka); DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            tracker.expect(events);
            long start = System.nanoTime();
            publisher.publish(events);
            Progress progress = new Progress(events.size());
            Map<String, Outcome> outcomes = tracker.await(timeout, progress::show);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new PipelineRun(outcomes, tracker.pending(), elapsed);
        }
    }

    /** One line per quarter of the documents done, so that a long run shows it is moving. */
    private static final class Progress {

        private final int total;
        private int shownQuarter;

        Progress(int total) {
            this.total = total;
        }

        void show(Map<String, Outcome> outcomes) {
            long done = outcomes.values().stream()
                    .filter(o -> o.state() == IngestState.INDEXED || o.state() == IngestState.FAILED).count();
            int quarter = (int) (4 * done / total);
            if (quarter > shownQuarter) {
                shownQuarter = quarter;
                System.out.printf(Locale.ROOT, "  %d/%d done%n", done, total);
            }
        }
    }

    /**
     * The documents of the unmeasured warm-up: by default one round's worth. A freshly started service's compilers are
     * still busy for thousands of documents (per-document code reaches C2 only after thousands of calls): after a
     * 200-document warm-up, the compiler threads of ingest-service, retrieval-service and Kafka used about 4 ms of CPU
     * per chunk in the first 1,000-document round and about 2 ms in the third, time a long-running pipeline does not
     * spend.
     */
    int warmUpDocuments() {
        return warmUpDocuments != null ? warmUpDocuments : documents;
    }

    static String defaultTenant(ZonedDateTime now) {
        return "bench-" + TENANT_TIME.format(now);
    }

    private void validate() {
        if (documents < 1 || paragraphs < 1 || batchSize < 1 || concurrency < 1 || rounds < 1) {
            throw new IllegalArgumentException(
                    "--documents, --paragraphs, --batch-size, --concurrency and --rounds must be 1 or more");
        }
        if (warmUpDocuments != null && warmUpDocuments < 0) {
            throw new IllegalArgumentException("--warm-up-documents must be 0 or more");
        }
        if (tenant != null) {
            FieldRules.requireTenant(rounds == 1 ? tenant : tenant + "-r" + rounds);
            FieldRules.requireTenant(tenant + "-warm-up");
        }
    }
}
