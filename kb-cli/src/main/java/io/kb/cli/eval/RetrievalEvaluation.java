package io.kb.cli.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.kb.contracts.event.ChunkBatch;
import io.kb.embedding.model.BundledOnnxModel;
import io.kb.ingest.chunk.ChunkProperties;
import io.kb.ingest.parse.LanguageGuess;
import io.kb.retrieval.fusion.FusionMethod;
import io.kb.retrieval.index.IndexStats;
import io.kb.retrieval.search.HybridSearch;
import io.kb.retrieval.search.SearchProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kb eval retrieval}: the retrieval quality of the platform's own components on a BEIR test set. The steps:
 * <ol>
 *   <li>read the BEIR folder (corpus, queries, qrels);</li>
 *   <li>chunk, embed and index every document not yet in the work folder's index ({@link InProcessRetrieval});</li>
 *   <li>run a few queries untimed, so that the timed ones meet warm code;</li>
 *   <li>run every judged query in the chosen mode, timing each search, and score its documents
 *       ({@link RetrievalMetrics});</li>
 *   <li>print one JSON line with the means, the latency percentiles and the counts.</li>
 * </ol>
 * Progress goes to standard error, so that standard output holds only the JSON line.
 */
@Command(name = "retrieval", sortOptions = false, description = {
        "Index a BEIR folder (corpus.jsonl, queries*.jsonl, qrels/test.tsv) with the",
        "platform's chunker, embedding model, Lucene index and hybrid search, all in",
        "this process; run every judged query; print one JSON line: nDCG@10, Recall@10,",
        "Recall@100, search latency p50/p99, documents, chunks and queries counted.",
        "Exit code: 0 measured, 2 bad input."})
public final class RetrievalEvaluation implements Callable<Integer> {

    /** Queries run before the timed ones, and not counted. */
    static final int WARM_UP_QUERIES = 5;
    /** Documents chunked and embedded together. */
    static final int DOCUMENTS_PER_STEP = 32;
    private static final long PROGRESS_EVERY_NANOS = 15_000_000_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--beir", required = true, paramLabel = "DIR", description = "The BEIR folder.")
    Path beir;

    @Option(names = "--mode", defaultValue = "hybrid", paramLabel = "MODE",
            description = "hybrid, dense or bm25 (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--model", paramLabel = "NAME", description = "The embedding model: bge-small-en-v1.5 or "
            + "bge-small-zh-v1.5 (default: the one ingestion picks for the corpus's language).")
    String model;

    @Option(names = "--top-k", defaultValue = "100", paramLabel = "N",
            description = "Documents retrieved per query, 10 to 250 (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--queries", paramLabel = "FILE", description = "The queries (default: queries_test.jsonl in "
            + "the folder if present, else queries.jsonl). A relative path not found here is looked up in the folder.")
    Path queries;

    @Option(names = "--qrels", paramLabel = "FILE", description = "The judgments (default: qrels/test.tsv in the "
            + "folder). A relative path not found here is looked up in the folder.")
    Path qrels;

    @Option(names = "--limit-queries", paramLabel = "N", description = "Evaluate only the first N judged queries.")
    Integer limitQueries;

    @Option(names = "--work", paramLabel = "DIR", description = "Keep the index in this folder and reuse it in "
            + "later runs on the same corpus and model (default: a temporary folder, removed at the end).")
    Path work;

    @Option(names = "--fusion", paramLabel = "METHOD", description = "How hybrid mode fuses the dense and BM25 "
            + "rankings: rrf, z-score or min-max (default: the service's kb.retrieval.search.fusion default).")
    String fusion;

    @Option(names = "--candidates", paramLabel = "N", description = "Hits each retriever contributes to the fusion, "
            + "1 to 1000; a search takes at least four per document of --top-k (default: the service's "
            + "kb.retrieval.search.candidates default).")
    Integer candidates;

    @Option(names = "--rrf-k", paramLabel = "K", description = "Reciprocal rank fusion constant, for rrf (default: "
            + "the service's kb.retrieval.search.rrf-k default).")
    Integer rrfK;

    @Option(names = "--dense-weight", paramLabel = "W", description = "Weight of the dense ranking in the fusion "
            + "(default: the service's).")
    Double denseWeight;

    @Option(names = "--bm25-weight", paramLabel = "W", description = "Weight of the BM25 ranking in the fusion "
            + "(default: the service's).")
    Double bm25Weight;

    @Option(names = "--query-instruction", paramLabel = "TEXT", description = "Put before each query for dense "
            + "retrieval; '' for none (default: the service's kb.retrieval.search.query-instructions for the model).")
    String queryInstruction;

    @Option(names = "--chunk-tokens", paramLabel = "N", description = "The chunker's token budget (default: "
            + "ingest-service's kb.ingest.chunk.max-tokens default).")
    Integer chunkTokens;

    @Option(names = "--chunk-overlap", paramLabel = "N", description = "The chunker's overlap in tokens (default: "
            + "ingest-service's).")
    Integer chunkOverlap;

    @Override
    public Integer call() {
        PrintWriter progress = spec.commandLine().getErr();
        HybridSearch.Mode searchMode = parseMode();
        FusionMethod fusionMethod = parseFusion();
        validate();
        ChunkProperties chunkDefaults = ChunkProperties.defaults();

        // 1. The test set.
        Path queriesFile = queries != null ? inFolder(queries) : BeirDataset.defaultQueries(beir);
        Path qrelsFile = qrels != null ? inFolder(qrels) : beir.resolve(BeirDataset.TEST_QRELS);
        BeirDataset dataset = BeirDataset.read(beir, queriesFile, qrelsFile);
        List<BeirDataset.Query> judged = dataset.judgedQueries();
        if (limitQueries != null && limitQueries < judged.size()) {
            judged = judged.subList(0, limitQueries);
        }
        if (judged.isEmpty()) {
            throw new IllegalArgumentException(queriesFile + " has no query with a relevant document in " + qrelsFile);
        }
        BundledOnnxModel modelChoice = modelFor(dataset);
        SearchProperties settings = InProcessRetrieval.searchSettings(fusionMethod, candidates, rrfK, denseWeight,
                bm25Weight, modelChoice.modelName(), queryInstruction);
        ChunkProperties chunking = new ChunkProperties(
                chunkTokens != null ? chunkTokens : chunkDefaults.maxTokens(),
                chunkOverlap != null ? chunkOverlap : chunkDefaults.overlapTokens(), modelChoice.modelName(), Map.of());
        progress.printf(Locale.ROOT, "%s: %d documents, %d queries (%d judged, %d evaluated); model %s, mode %s%n",
                dataset.name(), dataset.corpus().size(), dataset.queries().size(), dataset.judgedQueries().size(),
                judged.size(), modelChoice.modelName(), searchMode.name().toLowerCase(Locale.ROOT));
        long missing = dataset.relevantDocumentsMissingFromCorpus();
        if (missing > 0) {
            progress.printf(Locale.ROOT, "  note: %d relevant documents of the qrels are not in the corpus; they "
                    + "count as never found%n", missing);
        }

        try (WorkFolder folder = work != null ? WorkFolder.kept(work) : WorkFolder.temporary()) {
            WorkFolder.Manifest wanted = manifest(chunking, false, 0);
            WorkFolder.Manifest found = folder.check(wanted);
            progress.printf(Locale.ROOT, "Index folder: %s%s%n", folder.index(),
                    folder.isTemporary() ? " (temporary, removed at the end)" : "");
            try (InProcessRetrieval platform = InProcessRetrieval.open(folder.index(), modelChoice, chunking,
                    settings)) {
                // 2. The index.
                double indexSeconds;
                // A manifest whose index folder was removed since describes nothing to reuse.
                boolean empty = platform.stats().documentCount() == 0;
                boolean reused = found != null && found.complete() && !empty;
                if (reused) {
                    indexSeconds = found.indexSeconds();
                    progress.printf(Locale.ROOT, "Reusing the index in %s (built in %.0f s)%n", folder.index(),
                            indexSeconds);
                } else {
                    double earlier = found == null || empty ? 0 : found.indexSeconds();
                    folder.write(manifest(chunking, false, earlier));
                    indexSeconds = earlier + index(platform, dataset.corpus(), progress);
                    folder.write(manifest(chunking, true, indexSeconds));
                }
                IndexStats stats = platform.stats();

                // 3. and 4. The queries.
                progress.printf(Locale.ROOT, "Running %d queries (%s%s, top %d, %d candidates per retriever)...%n",
                        judged.size(), searchMode.name().toLowerCase(Locale.ROOT),
                        searchMode == HybridSearch.Mode.HYBRID ? " by " + settings.fusion().settingName() : "", topK,
                        platform.candidates(topK));
                for (BeirDataset.Query q : judged.subList(0, Math.min(WARM_UP_QUERIES, judged.size()))) {
                    platform.search(q.text(), searchMode, topK);
                }
                List<RetrievalMetrics.QueryScores> scores = new ArrayList<>(judged.size());
                double[] millis = new double[judged.size()];
                for (int i = 0; i < judged.size(); i++) {
                    BeirDataset.Query q = judged.get(i);
                    long start = System.nanoTime();
                    List<String> ranking = platform.search(q.text(), searchMode, topK);
                    millis[i] = (System.nanoTime() - start) / 1e6;
                    scores.add(RetrievalMetrics.score(ranking, dataset.qrels().get(q.id())));
                }

                // 5. The line.
                RetrievalMetrics.Summary summary = RetrievalMetrics.summarize(scores);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("dataset", dataset.name());
                line.put("mode", searchMode.name().toLowerCase(Locale.ROOT));
                line.put("model", platform.modelName());
                line.put("documents", stats.documentCount());
                line.put("chunks", stats.chunkCount());
                line.put("queries", summary.queries());
                line.put("ndcg@10", round(summary.ndcgAt10(), 4));
                line.put("recall@10", round(summary.recallAt10(), 4));
                line.put("recall@100", round(summary.recallAt100(), 4));
                line.put("latency_p50_ms", round(RetrievalMetrics.percentile(millis, 50), 1));
                line.put("latency_p99_ms", round(RetrievalMetrics.percentile(millis, 99), 1));
                line.put("index_seconds", round(indexSeconds, 1));
                line.put("index_reused", reused);
                line.put("top_k", topK);
                line.put("candidates", platform.candidates(topK));
                if (searchMode == HybridSearch.Mode.HYBRID) {
                    line.put("fusion", settings.fusion().settingName());
                    if (settings.fusion() == FusionMethod.RRF) {
                        line.put("rrf_k", settings.rrfK());
                    }
                    line.put("dense_weight", settings.denseWeight());
                    line.put("bm25_weight", settings.bm25Weight());
                }
                if (searchMode != HybridSearch.Mode.BM25) {
                    line.put("query_instruction", settings.queryInstruction(platform.modelName()));
                }
                line.put("chunk_tokens", chunking.maxTokens());
                line.put("chunk_overlap", chunking.overlapTokens());
                spec.commandLine().getOut().println(JsonMapper.builder().build().writeValueAsString(line));
                spec.commandLine().getOut().flush();
            }
        }
        return 0;
    }

    /**
     * Indexes the documents the index lacks: the main thread chunks and embeds a step of documents while a second
     * thread writes the previous step (each document is one commit, as in retrieval-service's indexer).
     *
     * @return the seconds it took
     */
    private static double index(InProcessRetrieval platform, List<BeirDataset.Document> corpus, PrintWriter progress) {
        List<BeirDataset.Document> todo = corpus.stream().filter(d -> !platform.holds(d.id())).toList();
        if (todo.size() < corpus.size()) {
            progress.printf(Locale.ROOT, "Going on with an unfinished index: %d of %d documents are in it%n",
                    corpus.size() - todo.size(), corpus.size());
        }
        progress.printf(Locale.ROOT, "Indexing %d documents (chunk, embed, write)...%n", todo.size());
        long start = System.nanoTime();
        long lastReport = start;
        int skipped = 0;
        try (ExecutorService writer = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("kb-eval-index-writer").daemon().factory())) {
            Future<?> writing = null;
            for (int from = 0; from < todo.size(); from += DOCUMENTS_PER_STEP) {
                List<BeirDataset.Document> step = todo.subList(from, Math.min(todo.size(), from + DOCUMENTS_PER_STEP));
                List<ChunkBatch> batches = platform.prepare(step);
                skipped += step.size() - batches.size();
                await(writing);
                writing = writer.submit(() -> batches.forEach(platform::apply));
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                    lastReport = now;
                    progress.printf(Locale.ROOT, "  %d/%d documents, %.0f s%n", from + step.size(), todo.size(),
                            (now - start) / 1e9);
                }
            }
            await(writing);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.printf(Locale.ROOT, "Indexed %d documents in %.1f s%s%n", todo.size() - skipped, seconds,
                skipped > 0 ? " (" + skipped + " without title or text left out)" : "");
        return seconds;
    }

    private static void await(Future<?> writing) {
        if (writing == null) {
            return;
        }
        try {
            writing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the index", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private WorkFolder.Manifest manifest(ChunkProperties chunking, boolean complete, double indexSeconds) {
        Path corpus = beir.resolve(BeirDataset.CORPUS).toAbsolutePath().normalize();
        try {
            return new WorkFolder.Manifest(corpus.toString(), Files.size(corpus),
                    Files.getLastModifiedTime(corpus).toMillis(), chunking.model(), chunking.maxTokens(),
                    chunking.overlapTokens(), complete, indexSeconds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + corpus + ": " + e.getMessage(), e);
        }
    }

    /** The named model, or the one ingestion's chunker would pick for the language of the corpus's beginning. */
    private BundledOnnxModel modelFor(BeirDataset dataset) {
        String name = model;
        if (name == null) {
            String sample = dataset.corpus().stream().limit(50).map(d -> d.title() + "\n" + d.text())
                    .collect(Collectors.joining("\n"));
            name = ChunkProperties.defaults().modelFor(LanguageGuess.of(sample));
        }
        String wanted = name;
        return BundledOnnxModel.byName(wanted).orElseThrow(() -> new IllegalArgumentException(
                "--model: unknown model '" + wanted + "'; the bundled models are " + BundledOnnxModel.names()));
    }

    private Path inFolder(Path file) {
        return Files.exists(file) || file.isAbsolute() ? file : beir.resolve(file);
    }

    private HybridSearch.Mode parseMode() {
        try {
            return HybridSearch.Mode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode must be hybrid, dense or bm25, was '" + mode + "'");
        }
    }

    private FusionMethod parseFusion() {
        if (fusion == null) {
            return null;
        }
        try {
            return FusionMethod.fromSettingName(fusion);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--fusion must be rrf, z-score or min-max, was '" + fusion + "'");
        }
    }

    private void validate() {
        if (topK < 10 || topK > 250) {
            throw new IllegalArgumentException("--top-k must be 10 to 250 (nDCG@10 needs 10; the index returns at "
                    + "most 1000 chunks, four per document), was " + topK);
        }
        if (limitQueries != null && limitQueries < 1) {
            throw new IllegalArgumentException("--limit-queries must be 1 or more, was " + limitQueries);
        }
        if (candidates != null && (candidates < 1 || candidates > 1000)) {
            throw new IllegalArgumentException("--candidates must be 1 to 1000, was " + candidates);
        }
        if (rrfK != null && rrfK < 1) {
            throw new IllegalArgumentException("--rrf-k must be 1 or more, was " + rrfK);
        }
        if (denseWeight != null && !(denseWeight >= 0) || bm25Weight != null && !(bm25Weight >= 0)) {
            throw new IllegalArgumentException("--dense-weight and --bm25-weight must not be negative");
        }
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
