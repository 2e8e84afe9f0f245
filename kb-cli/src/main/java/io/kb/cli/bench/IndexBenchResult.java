package io.kb.cli.bench;

import static io.kb.cli.bench.BenchFigures.fixed;
import static io.kb.cli.bench.BenchFigures.number;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of {@code kb bench index}: how the index was built, what it weighs, and per search depth and candidates
 * value how fast and how well a dense search answers.
 *
 * @param setup    the corpus and the index settings
 * @param build    how the index was built (or that it was reused)
 * @param index    what the open index weighs
 * @param searches one row per search depth and candidates value, in the order they ran
 */
record IndexBenchResult(Setup setup, Build build, Index index, List<Searches> searches) {

    /** The most p99 search latency the issue allows at 1M chunks of 512 dimensions, in milliseconds. */
    static final double TARGET_P99_MS = 30;
    /** The least recall@10 the issue asks for at that size. */
    static final double TARGET_RECALL = 0.95;

    IndexBenchResult {
        searches = List.copyOf(searches);
    }

    /**
     * @param chunks        chunks in the index
     * @param dimension     the vectors' dimension
     * @param seed          the corpus seed
     * @param corpus        how the vectors and texts were made
     * @param encoding      the vector encoding
     * @param hnswMaxConn   neighbours per HNSW node
     * @param hnswBeamWidth the HNSW build beam
     * @param readableShare the share of chunks the searching caller may read
     * @param queries       timed queries per row
     * @param k             the hits that count for recall
     * @param warmUp        searches run before timing, not counted
     * @param processors    processors this machine offers the JVM
     * @param path          where the index lies
     * @param queryCacheMb  MiB of the index's query cache, which holds the caller's access filter; 0 for none
     */
    record Setup(long chunks, int dimension, long seed, String corpus, String encoding, int hnswMaxConn,
            int hnswBeamWidth, double readableShare, int queries, int k, int warmUp, int processors, String path,
            int queryCacheMb) {
    }

    /**
     * @param seconds how long the build took, merges and close included
     * @param reused  whether this run reused a kept index (then the figures are the build's, from its manifest)
     * @param builtAt when the build finished
     */
    record Build(double seconds, boolean reused, String builtAt) {

        double chunksPerSecond(long chunks) {
            return chunks / seconds;
        }
    }

    /**
     * @param sizeOnDiskBytes the index's files
     * @param segments        segments, each with its own HNSW graph that a search walks
     * @param mergeSeconds    how long {@code --force-merge} took, or NaN when the index was not merged
     * @param heapBytes       heap in use after a full GC with the index open, after the searches
     * @param exactSeconds    how long the brute-force ground truth took
     */
    record Index(long sizeOnDiskBytes, int segments, double mergeSeconds, long heapBytes, double exactSeconds) {
    }

    /**
     * The timed searches with one candidates value and one search depth.
     *
     * @param candidates    hits asked of the index per search (the service's {@code kb.retrieval.search.candidates})
     * @param searchEf      the index's {@code search-ef}: neighbours the HNSW search of a one-segment index
     *                      collects before the best {@code candidates} are kept (divided by the square root of
     *                      the segment count for more, never below the candidates)
     * @param latencyNanos  each search's latency, in order
     * @param cpuNanos      the searching thread's CPU time over all of them
     * @param recall        recall@k of the first k hits against the exact search
     */
    record Searches(int candidates, int searchEf, long[] latencyNanos, long cpuNanos, double recall) {

        Searches {
            latencyNanos = latencyNanos.clone();
        }

        double percentileMillis(double percentile) {
            return IndexBenchResult.percentileMillis(latencyNanos, percentile);
        }

        double meanMillis() {
            return Arrays.stream(latencyNanos).average().orElse(Double.NaN) / 1e6;
        }

        double cpuMillisPerQuery() {
            return latencyNanos.length == 0 || cpuNanos < 0 ? Double.NaN : cpuNanos / 1e6 / latencyNanos.length;
        }

        boolean meetsTarget() {
            return percentileMillis(99) <= TARGET_P99_MS && recall >= TARGET_RECALL;
        }
    }

    /**
     * The nearest-rank percentile: the smallest latency that at least {@code percentile}% of the searches did not
     * exceed.
     *
     * @param nanos latencies, in any order
     * @param percentile 0 (exclusive) to 100
     * @return milliseconds, or NaN without latencies
     */
    static double percentileMillis(long[] nanos, double percentile) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
    }

    /** The report {@code kb bench index} prints. */
    String report() {
        StringBuilder r = new StringBuilder();
        line(r, "kb bench index: dense searches of the Lucene chunk index, access filter in the query");
        field(r, "corpus", String.format(Locale.ROOT, "%,d chunks x %d dims, seed %d; %s", setup.chunks(),
                setup.dimension(), setup.seed(), setup.corpus()));
        field(r, "index", String.format(Locale.ROOT, "%s, HNSW max-conn %d, beam %d; %s", setup.encoding(),
                setup.hnswMaxConn(), setup.hnswBeamWidth(), setup.path()));
        field(r, "cache", setup.queryCacheMb() == 0 ? "no query cache (access filter worked out on every search)"
                : String.format(Locale.ROOT, "query cache of %d MiB (holds the access filter)", setup.queryCacheMb()));
        field(r, "caller", String.format(Locale.ROOT, "reads %.0f%% of the chunks", setup.readableShare() * 100));
        field(r, "searches", String.format(Locale.ROOT, "%d queries per row, one at a time, after %d warm-up; "
                + "recall@%d against brute force", setup.queries(), setup.warmUp(), setup.k()));
        field(r, "machine", setup.processors() + " processors");
        line(r, "");
        field(r, "build", build.reused()
                ? String.format(Locale.ROOT, "reused (built %s in %.0f s: %.0f chunks/s)", build.builtAt(),
                        build.seconds(), build.chunksPerSecond(setup.chunks()))
                : String.format(Locale.ROOT, "%.1f s, %.0f chunks/s (500 chunks per apply, merges included)",
                        build.seconds(), build.chunksPerSecond(setup.chunks())));
        field(r, "on disk", String.format(Locale.ROOT, "%.2f GiB (%,d bytes), %d segments",
                index.sizeOnDiskBytes() / 1073741824.0, index.sizeOnDiskBytes(), index.segments()));
        if (Double.isFinite(index.mergeSeconds())) {
            field(r, "merged", String.format(Locale.ROOT, "to %d segments in %.1f s (--force-merge)", index.segments(),
                    index.mergeSeconds()));
        }
        field(r, "heap", String.format(Locale.ROOT, "%.1f MiB in use after GC, index open",
                index.heapBytes() / 1048576.0));
        field(r, "exact", String.format(Locale.ROOT, "ground truth in %.1f s", index.exactSeconds()));
        line(r, "");
        r.append(table());
        line(r, String.format(Locale.ROOT, "Target at 1M x 512: p99 <= %.0f ms and recall@10 >= %.2f.",
                TARGET_P99_MS, TARGET_RECALL));
        return r.toString();
    }

    /** The figures alone, one row per search depth and candidates value. */
    String table() {
        StringBuilder t = new StringBuilder();
        String format = "%9s %10s | %8s %8s %8s | %10s | %9s | %-6s%n";
        t.append(String.format(Locale.ROOT, format, "search-ef", "candidates", "p50 ms", "p99 ms", "mean ms",
                "cpu ms/q", "recall@" + setup.k(), "target"));
        for (Searches s : searches) {
            t.append(String.format(Locale.ROOT, format, s.searchEf(), s.candidates(), fixed(s.percentileMillis(50), 2),
                    fixed(s.percentileMillis(99), 2), fixed(s.meanMillis(), 2), fixed(s.cpuMillisPerQuery(), 2),
                    fixed(s.recall(), 3), s.meetsTarget() ? "met" : "missed"));
        }
        return t.toString();
    }

    /** The same figures as one line of JSON, for scripts. */
    String json(JsonMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode s = root.putObject("setup");
        s.put("chunks", setup.chunks()).put("dimension", setup.dimension()).put("seed", setup.seed())
                .put("corpus", setup.corpus()).put("encoding", setup.encoding())
                .put("hnswMaxConn", setup.hnswMaxConn()).put("hnswBeamWidth", setup.hnswBeamWidth())
                .put("readableShare", setup.readableShare()).put("queries", setup.queries()).put("k", setup.k())
                .put("warmUp", setup.warmUp()).put("processors", setup.processors()).put("path", setup.path())
                .put("queryCacheMb", setup.queryCacheMb());
        ObjectNode b = root.putObject("build");
        b.put("seconds", build.seconds()).put("chunksPerSecond", build.chunksPerSecond(setup.chunks()))
                .put("reused", build.reused()).put("builtAt", build.builtAt());
        ObjectNode i = root.putObject("index");
        i.put("sizeOnDiskBytes", index.sizeOnDiskBytes()).put("segments", index.segments())
                .put("heapBytes", index.heapBytes()).put("exactSeconds", index.exactSeconds());
        number(i, "mergeSeconds", index.mergeSeconds());
        root.putObject("target").put("maxP99Ms", TARGET_P99_MS).put("minRecall", TARGET_RECALL);
        ArrayNode rows = root.putArray("searches");
        for (Searches row : searches) {
            ObjectNode n = rows.addObject();
            n.put("candidates", row.candidates()).put("searchEf", row.searchEf());
            number(n, "p50Ms", row.percentileMillis(50));
            number(n, "p99Ms", row.percentileMillis(99));
            number(n, "meanMs", row.meanMillis());
            number(n, "cpuMsPerQuery", row.cpuMillisPerQuery());
            number(n, "recall", row.recall());
            n.put("targetMet", row.meetsTarget());
        }
        return mapper.writeValueAsString(root);
    }

    private static void field(StringBuilder r, String name, String value) {
        line(r, String.format(Locale.ROOT, "  %-9s %s", name, value));
    }

    private static void line(StringBuilder r, String text) {
        r.append(text).append(System.lineSeparator());
    }
}
