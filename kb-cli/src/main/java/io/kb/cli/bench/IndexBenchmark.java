package io.kb.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.Operation;
import io.kb.retrieval.access.Caller;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.SearchRequest;
import io.kb.retrieval.index.lucene.LuceneChunkIndex;
import io.kb.retrieval.index.lucene.LuceneIndexSettings;
import io.kb.retrieval.index.lucene.VectorEncoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kb bench index}: how the embedded Lucene chunk index scales, without the stack. The steps:
 * <ol>
 *   <li>build an index of synthetic chunks ({@link SyntheticVectors}, short texts, {@value #CHUNKS_PER_DOCUMENT}
 *       chunks per document) through {@link LuceneChunkIndex#apply}, as the indexer does, or reuse the one a
 *       previous run kept in {@code --index DIR};</li>
 *   <li>find every query's true nearest neighbours by brute force over the vectors the caller may read;</li>
 *   <li>warm up, then time dense searches one at a time, as the service runs them: through
 *       {@link LuceneChunkIndex#search}, with the caller's access filter inside the query, asking for
 *       {@code --candidates} hits, of which the first {@code --k} count for recall;</li>
 *   <li>print build rate, size on disk, heap in use, latency percentiles, CPU per query and recall.</li>
 * </ol>
 * A measurement, not a gate: the exit code says only whether it ran.
 */
@Command(name = "index", description = {
        "Build a Lucene chunk index of N synthetic chunks (or reuse one kept with --index), then time dense searches",
        "with the access filter in the query and measure recall@k against brute force. Prints build rate, size on",
        "disk, heap, search p50/p99, CPU per query and recall (target at 1M x 512: p99 <= 30 ms, recall@10 >= 0.95).",
        "./kb runs it with --add-modules jdk.incubator.vector and a heap of KB_BENCH_HEAP (default 2g)."})
public final class IndexBenchmark implements Callable<Integer> {

    /** Chunks per synthetic document: one apply and one commit each. */
    static final int CHUNKS_PER_DOCUMENT = 500;
    /** The tenant of every chunk and of the searching caller. */
    static final String TENANT = "bench";
    /** Every tenth document is readable by a group the caller is not in, so the filter excludes something. */
    static final int UNREADABLE_EVERY = 10;

    private static final Caller CALLER = Caller.of(TENANT, "reader", List.of("eng"));
    private static final String MODEL = "synthetic-clustered";
    private static final String LUCENE_FOLDER = "lucene";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--chunks", defaultValue = "100000", description = "Chunks in the index (default: ${DEFAULT-VALUE}).")
    long chunks;

    @Option(names = "--dim", defaultValue = "512", description = "Vector dimension (default: ${DEFAULT-VALUE}).")
    int dimension;

    @Option(names = "--queries", defaultValue = "200", description = "Timed queries per candidates value (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--k", defaultValue = "10", description = "Hits that count for recall (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--candidates", defaultValue = "50", split = ",",
            description = "Hits asked of the index per search, one row each, e.g. 50,30,20 (default: ${DEFAULT-VALUE}, "
                    + "the service's kb.retrieval.search.candidates).")
    List<Integer> candidates;

    @Option(names = "--encoding", defaultValue = "float32", converter = EncodingConverter.class,
            description = "Vector encoding: float32, int8 or int4 (default: ${DEFAULT-VALUE}).")
    VectorEncoding encoding;

    @Option(names = "--hnsw-max-conn", defaultValue = "16", description = "Neighbours per HNSW node (default: ${DEFAULT-VALUE}).")
    int hnswMaxConn;

    @Option(names = "--hnsw-beam-width", defaultValue = "100", description = "HNSW build beam (default: ${DEFAULT-VALUE}).")
    int hnswBeamWidth;

    @Option(names = "--merge-workers", defaultValue = "1",
            description = "Threads per HNSW merge while building (default: ${DEFAULT-VALUE}).")
    int mergeWorkers;

    @Option(names = "--search-ef", split = ",", defaultValue = "" + LuceneIndexSettings.DEFAULT_SEARCH_EF,
            description = "Neighbours the HNSW search of a one-segment index collects before the best --candidates are "
                    + "kept (divided by the square root of the segment count for more), one set of rows each, e.g. "
                    + "200,400 (default: ${DEFAULT-VALUE}, the service's kb.retrieval.index.lucene.search-ef).")
    List<Integer> searchEf;

    @Option(names = "--query-cache-mb", defaultValue = "" + LuceneIndexSettings.DEFAULT_QUERY_CACHE_MB,
            description = "MiB of the index's query cache, which holds the caller's access filter; 0 for none, as "
                    + "before the cache (default: ${DEFAULT-VALUE}, the service's kb.retrieval.index.lucene."
                    + "query-cache-mb).")
    int queryCacheMb;

    @Option(names = "--force-merge", defaultValue = "0",
            description = "Before searching, merge the index down to at most this many segments, timed; a kept index "
                    + "stays merged (default: ${DEFAULT-VALUE}, leave the segments the merge policy left).")
    int forceMerge;

    @Option(names = "--index", description = "Keep the index in this folder and reuse it when it holds one built with "
            + "the same --chunks, --dim, --seed, --encoding and HNSW settings (default: a temporary folder, deleted).")
    Path folder;

    @Option(names = "--topics", defaultValue = "1024", description = "Topics of the vector mixture (default: ${DEFAULT-VALUE}).")
    int topics;

    @Option(names = "--local-dims", defaultValue = "16",
            description = "Directions along which one topic's vectors spread (default: ${DEFAULT-VALUE}).")
    int localDimensions;

    @Option(names = "--spread", defaultValue = "0.8",
            description = "Spread along those directions, against the topic's 1 (default: ${DEFAULT-VALUE}).")
    double spread;

    @Option(names = "--noise", defaultValue = "0.3",
            description = "Isotropic noise, against the topic's 1 (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of vectors and texts (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--warm-up", defaultValue = "100", description = "Untimed searches first (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--json", description = "Print only the JSON line (progress goes to standard error).")
    boolean json;

    @Override
    public Integer call() {
        validate();
        PrintStream progress = json ? System.err : System.out;
        IndexBenchResult result = measure(progress);
        if (!json) {
            progress.println();
            System.out.print(result.report());
        }
        System.out.println(result.json(JSON));
        return 0;
    }

    /** Steps 1 to 3; the caller prints. */
    IndexBenchResult measure(PrintStream progress) {
        boolean temporary = folder == null;
        Path root = temporary ? temporaryFolder() : folder;
        try {
            LuceneIndexSettings settings = settings();
            SyntheticVectors.Shape shape = shape();
            SyntheticVectors vectors = new SyntheticVectors(seed, shape, dimension);
            IndexBenchManifest wanted = new IndexBenchManifest(chunks, dimension, seed, shape.toString(),
                    encoding.value(), hnswMaxConn, hnswBeamWidth, 0, "");

            // 1. The index, built or reused.
            IndexBenchManifest built = IndexBenchManifest.read(root);
            boolean reused = built != null;
            if (reused) {
                built.requireSameCorpus(wanted, root);
                progress.printf(Locale.ROOT, "Reusing the index in %s, built %s.%n", root, built.builtAt());
            } else {
                double seconds = build(root.resolve(LUCENE_FOLDER), settings, vectors, progress);
                built = new IndexBenchManifest(chunks, dimension, seed, shape.toString(), encoding.value(), hnswMaxConn,
                        hnswBeamWidth, seconds, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                built.write(root);
            }

            // 2. The truth.
            float[][] queryVectors = new float[queries][];
            for (int q = 0; q < queries; q++) {
                queryVectors[q] = vectors.vector(chunks + q);
            }
            progress.printf(Locale.ROOT, "Exact search of %d queries over %,d chunks...%n", queries, chunks);
            long exactStart = System.nanoTime();
            long[][] exact = ExactSearch.topK(queryVectors, vectors::vector, chunks, IndexBenchmark::readable, k);
            double exactSeconds = (System.nanoTime() - exactStart) / 1e9;

            // 3. The searches, with the index opened again for each search depth: the depth is an index setting.
            // The index's weight is taken with the last one still open, its query cache filled.
            double mergeSeconds = Double.NaN;
            List<IndexBenchResult.Searches> rows = new ArrayList<>();
            IndexBenchResult.Index weight = null;
            for (int ef : searchEf) {
                try (LuceneChunkIndex index = new LuceneChunkIndex(root.resolve(LUCENE_FOLDER),
                        settings.withSearchEf(ef))) {
                    if (forceMerge > 0 && index.segmentCount() > forceMerge) {
                        progress.printf(Locale.ROOT, "Merging %d segments down to %d...%n", index.segmentCount(),
                                forceMerge);
                        long mergeStart = System.nanoTime();
                        index.forceMerge(forceMerge);
                        mergeSeconds = (System.nanoTime() - mergeStart) / 1e9;
                    }
                    int maxCandidates = candidates.stream().mapToInt(Integer::intValue).max().orElseThrow();
                    progress.printf(Locale.ROOT, "Warming up with %d searches (search-ef %d)...%n", warmUp, ef);
                    for (int w = 0; w < warmUp; w++) {
                        index.search(CALLER, SearchRequest.dense(vectors.vector(chunks + queries + w), maxCandidates));
                    }
                    for (int c : candidates) {
                        progress.printf(Locale.ROOT, "Timing %d searches with %d candidates, search-ef %d...%n",
                                queries, c, ef);
                        rows.add(search(index, queryVectors, exact, c, ef));
                    }
                    long heap = heapAfterGc();
                    weight = new IndexBenchResult.Index(index.stats().sizeOnDiskBytes(), index.segmentCount(),
                            mergeSeconds, heap, exactSeconds);
                }
            }
            IndexBenchResult.Setup setup = new IndexBenchResult.Setup(chunks, dimension, seed, corpusDescription(shape),
                    encoding.value(), hnswMaxConn, hnswBeamWidth, readableShare(), queries, k, warmUp,
                    Runtime.getRuntime().availableProcessors(), temporary ? "temporary folder" : root.toString(),
                    queryCacheMb);
            return new IndexBenchResult(setup, new IndexBenchResult.Build(built.buildSeconds(), reused,
                    built.builtAt()), weight, rows);
        } finally {
            if (temporary) {
                deleteRecursively(root);
            }
        }
    }

    /** Applies every document, then closes the index, which waits for the merges still running. */
    private double build(Path path, LuceneIndexSettings settings, SyntheticVectors vectors, PrintStream progress) {
        long documents = documents(chunks);
        progress.printf(Locale.ROOT, "Building %,d chunks (%,d documents of up to %d) into %s...%n", chunks, documents,
                CHUNKS_PER_DOCUMENT, path);
        EmbeddingInfo embedding = new EmbeddingInfo(MODEL, dimension);
        long start = System.nanoTime();
        long shownTenth = 0;
        try (LuceneChunkIndex index = new LuceneChunkIndex(path, settings)) {
            for (long d = 0; d < documents; d++) {
                index.apply(batch(d, vectors, embedding));
                long tenth = 10 * (d + 1) / documents;
                if (tenth > shownTenth) {
                    shownTenth = tenth;
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long done = Math.min(chunks, (d + 1) * CHUNKS_PER_DOCUMENT);
                    progress.printf(Locale.ROOT, "  %,d chunks in %.0f s (%.0f chunks/s), %d segments%n", done,
                            seconds, done / seconds, index.segmentCount());
                }
            }
            progress.println("  closing: waiting for the merges still running...");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private IndexBenchResult.Searches search(LuceneChunkIndex index, float[][] queryVectors, long[][] exact,
            int candidateCount, int ef) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported();
        long[] latencies = new long[queryVectors.length];
        long[][] found = new long[queryVectors.length][];
        long cpuStart = cpu ? threads.getCurrentThreadCpuTime() : 0;
        for (int q = 0; q < queryVectors.length; q++) {
            long start = System.nanoTime();
            List<ChunkHit> hits = index.search(CALLER, SearchRequest.dense(queryVectors[q], candidateCount));
            latencies[q] = System.nanoTime() - start;
            found[q] = hits.stream().mapToLong(IndexBenchmark::chunkNumber).toArray();
        }
        long cpuNanos = cpu ? threads.getCurrentThreadCpuTime() - cpuStart : -1;
        return new IndexBenchResult.Searches(candidateCount, ef, latencies, cpuNanos, Recall.atK(exact, found, k));
    }

    /** The batch of document {@code d}: its chunks are vectors {@code d * 500} onwards. */
    ChunkBatch batch(long d, SyntheticVectors vectors, EmbeddingInfo embedding) {
        String documentId = documentId(d);
        long first = d * CHUNKS_PER_DOCUMENT;
        int count = (int) Math.min(CHUNKS_PER_DOCUMENT, chunks - first);
        List<Chunk> list = new ArrayList<>(count);
        int offset = 0;
        for (int ordinal = 0; ordinal < count; ordinal++) {
            long number = first + ordinal;
            String text = text(number, vectors.topic(number));
            list.add(new Chunk(ChunkIds.of(TENANT, documentId, 1, ordinal), ordinal, text, vectors.vector(number),
                    List.of(), null, offset, offset + text.length()));
            offset += text.length() + 1;
        }
        return new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, TENANT, documentId, 1,
                "Synthetic document " + d, null, null, acl(d), Map.of(), embedding, list);
    }

    /** Whether the caller may read chunk {@code number}: not in every tenth document. */
    static boolean readable(long number) {
        return (number / CHUNKS_PER_DOCUMENT) % UNREADABLE_EVERY != UNREADABLE_EVERY - 1;
    }

    /** The chunk number of a hit, from its document id and ordinal. */
    static long chunkNumber(ChunkHit hit) {
        return Long.parseLong(hit.documentId().substring(1)) * CHUNKS_PER_DOCUMENT + hit.ordinal();
    }

    static String documentId(long d) {
        return String.format(Locale.ROOT, "d%07d", d);
    }

    /** Documents alternate between public ones and ones of the caller's group; every tenth is another group's. */
    private static List<String> acl(long d) {
        if (d % UNREADABLE_EVERY == UNREADABLE_EVERY - 1) {
            return List.of("group:finance");
        }
        return d % 2 == 0 ? List.of("public") : List.of("group:eng");
    }

    /**
     * A short text of made-up words, some drawn from the chunk's topic, so that BM25 fields hold realistic
     * postings; the benchmark searches vectors only.
     */
    static String text(long number, int topic) {
        SplittableRandom random = new SplittableRandom(number * 0x9E3779B97F4A7C15L + topic);
        StringBuilder text = new StringBuilder("topic").append(topic);
        for (int w = 0; w < 12; w++) {
            int word = random.nextInt(3) == 0 ? topic * 8 + random.nextInt(8) : random.nextInt(SYLLABLES.length * 64);
            text.append(' ').append(word(word));
        }
        return text.toString();
    }

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ba", "de", "fi", "go",
            "hu", "ja", "ke", "li"};

    private static String word(int n) {
        StringBuilder word = new StringBuilder();
        int rest = n;
        do {
            word.append(SYLLABLES[rest % SYLLABLES.length]);
            rest /= SYLLABLES.length;
        } while (rest > 0);
        return word.toString();
    }

    private static long documents(long chunks) {
        return (chunks + CHUNKS_PER_DOCUMENT - 1) / CHUNKS_PER_DOCUMENT;
    }

    private double readableShare() {
        long readable = 0;
        for (long d = 0; d < documents(chunks); d++) {
            if (d % UNREADABLE_EVERY != UNREADABLE_EVERY - 1) {
                readable += Math.min(CHUNKS_PER_DOCUMENT, chunks - d * CHUNKS_PER_DOCUMENT);
            }
        }
        return (double) readable / chunks;
    }

    private static String corpusDescription(SyntheticVectors.Shape shape) {
        return shape + "; queries: held-out vectors of the same mixture";
    }

    private SyntheticVectors.Shape shape() {
        return new SyntheticVectors.Shape(topics, localDimensions, spread, noise);
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void validate() {
        if (chunks < 1 || chunks > Integer.MAX_VALUE - 1L) {
            throw new IllegalArgumentException("--chunks must be 1 to " + (Integer.MAX_VALUE - 1) + ", was " + chunks);
        }
        if (dimension < 2 || dimension > EmbeddingInfo.MAX_DIMENSION) {
            throw new IllegalArgumentException("--dim must be 2 to " + EmbeddingInfo.MAX_DIMENSION + ", was " + dimension);
        }
        if (queries < 1 || k < 1 || warmUp < 0 || forceMerge < 0) {
            throw new IllegalArgumentException("--queries and --k must be 1 or more, --warm-up and --force-merge 0 or more");
        }
        for (int c : candidates) {
            if (c < k || c > SearchRequest.MAX_K) {
                throw new IllegalArgumentException("--candidates must each be --k (" + k + ") to " + SearchRequest.MAX_K
                        + ", was " + c);
            }
        }
        shape();
        // The settings check their own ranges, with the service's setting names.
        for (int ef : searchEf) {
            settings().withSearchEf(ef);
        }
    }

    /**
     * The index settings of this run: the service's defaults except what an option sets, so that a run without
     * options measures what the service would do.
     */
    LuceneIndexSettings settings() {
        LuceneIndexSettings defaults = LuceneIndexSettings.DEFAULTS;
        return new LuceneIndexSettings(hnswMaxConn, hnswBeamWidth, encoding, defaults.ramBufferMb(), mergeWorkers,
                searchEf.getFirst(), queryCacheMb, defaults.queryCacheQueries());
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("kb-bench-index");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("Note: could not delete " + root + ": " + e.getMessage());
        }
    }

    /** {@code --encoding} by its setting value. */
    static final class EncodingConverter implements picocli.CommandLine.ITypeConverter<VectorEncoding> {
        @Override
        public VectorEncoding convert(String value) {
            return VectorEncoding.of(value);
        }
    }
}
