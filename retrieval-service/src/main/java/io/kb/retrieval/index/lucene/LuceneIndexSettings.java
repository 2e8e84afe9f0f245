package io.kb.retrieval.index.lucene;

import java.util.Objects;

/**
 * How {@link LuceneChunkIndex} writes and searches its index: the HNSW graph's shape, how vectors are encoded in
 * it, how much the writer buffers and merges at once, how deep a dense search looks and how much of the access
 * filter it keeps. The write settings apply to the segments written from now on; an index written with other
 * settings opens and searches as it is, and merges rewrite it with these.
 *
 * @param hnswMaxConn neighbours per HNSW node ({@code hnsw-max-conn}), 1 to {@value #MAX_MAX_CONN}: more gives
 *        better recall, a bigger graph and slower writes
 * @param hnswBeamWidth candidates considered per node while building the graph ({@code hnsw-beam-width}), 1 to
 *        {@value #MAX_BEAM_WIDTH}: more gives a better graph and slower writes
 * @param vectorEncoding what the graph compares ({@code vector-encoding}); see {@link VectorEncoding} for the cost
 *        of each
 * @param ramBufferMb how much the writer buffers before it flushes a segment ({@code ram-buffer-mb}),
 *        {@value #MIN_RAM_BUFFER_MB} to {@value #MAX_RAM_BUFFER_MB} MiB. Each apply commits, which flushes anyway,
 *        so this matters only for batches bigger than the buffer; a bigger buffer makes fewer, bigger segments
 *        to merge, and holds that much heap while it fills
 * @param mergeWorkers threads that build the HNSW graph of one merge together ({@code merge-workers}), 1 to
 *        {@value #MAX_MERGE_WORKERS}. Merging graphs is most of the cost of a big index's writes; more workers
 *        finish a merge sooner on a machine with idle cores, and compete with searches on a busy one
 * @param searchEf how many nearest neighbours a dense search of a one-segment index collects from its HNSW graph
 *        ({@code search-ef}), 1 to {@value #MAX_SEARCH_EF}; with n segments, each searched on its own, the depth is
 *        this divided by the square root of n. Never fewer than the hits asked for; the hits of quantized segments
 *        are scored again with their 32-bit vectors and the best of them returned. This sets the depth of the
 *        search apart from the number of hits, so that recall does not fall when merges leave fewer, bigger
 *        segments. More costs CPU per search
 * @param queryCacheMb MiB of Lucene's query cache ({@code query-cache-mb}), 0 to {@value #MAX_QUERY_CACHE_MB}, 0
 *        for none. It holds each caller's access filter as one bit per chunk and segment (125 KiB per caller at a
 *        million chunks), which a search then reads instead of intersecting postings lists again
 * @param queryCacheQueries how many queries the cache holds at most ({@code query-cache-queries}), 1 to
 *        {@value #MAX_QUERY_CACHE_QUERIES}; the least recently used go first
 */
public record LuceneIndexSettings(int hnswMaxConn, int hnswBeamWidth, VectorEncoding vectorEncoding,
        double ramBufferMb, int mergeWorkers, int searchEf, int queryCacheMb, int queryCacheQueries) {

    /** Lucene's default neighbours per HNSW node. */
    public static final int DEFAULT_MAX_CONN = 16;
    /** Lucene's default candidate list size while building the HNSW graph. */
    public static final int DEFAULT_BEAM_WIDTH = 100;
    /** Lucene's default write buffer, in MiB. */
    public static final double DEFAULT_RAM_BUFFER_MB = 16;
    /**
     * Neighbours a dense search of a one-segment index collects by default: at 1M chunks of 512 dimensions, merged
     * to one segment, {@code kb bench index} measured recall@10 0.957 with it (0.907 with 200).
     */
    public static final int DEFAULT_SEARCH_EF = 400;
    /** The query cache's default size, in MiB: the access filters of about 500 callers at a million chunks. */
    public static final int DEFAULT_QUERY_CACHE_MB = 64;
    /** The query cache's default number of queries, Lucene's own default. */
    public static final int DEFAULT_QUERY_CACHE_QUERIES = 1000;

    static final int MAX_MAX_CONN = 512;
    static final int MAX_BEAM_WIDTH = 3200;
    static final double MIN_RAM_BUFFER_MB = 1;
    static final double MAX_RAM_BUFFER_MB = 2048;
    static final int MAX_MERGE_WORKERS = 64;
    static final int MAX_SEARCH_EF = 10_000;
    static final int MAX_QUERY_CACHE_MB = 4096;
    static final int MAX_QUERY_CACHE_QUERIES = 100_000;

    /**
     * Lucene's write defaults (float32 vectors, 16 neighbours, beam 100, 16 MiB buffer, one merge worker), with
     * the search depth and query cache above.
     */
    public static final LuceneIndexSettings DEFAULTS = new LuceneIndexSettings(DEFAULT_MAX_CONN, DEFAULT_BEAM_WIDTH,
            VectorEncoding.FLOAT32, DEFAULT_RAM_BUFFER_MB, 1, DEFAULT_SEARCH_EF, DEFAULT_QUERY_CACHE_MB,
            DEFAULT_QUERY_CACHE_QUERIES);

    /** Checks every range; a message names the setting, its range and the value given. */
    public LuceneIndexSettings {
        requireRange("hnsw-max-conn", hnswMaxConn, 1, MAX_MAX_CONN);
        requireRange("hnsw-beam-width", hnswBeamWidth, 1, MAX_BEAM_WIDTH);
        Objects.requireNonNull(vectorEncoding, "kb.retrieval.index.lucene.vector-encoding must be set");
        if (!(ramBufferMb >= MIN_RAM_BUFFER_MB && ramBufferMb <= MAX_RAM_BUFFER_MB)) {
            throw new IllegalArgumentException("kb.retrieval.index.lucene.ram-buffer-mb must be "
                    + (int) MIN_RAM_BUFFER_MB + " to " + (int) MAX_RAM_BUFFER_MB + ", was " + ramBufferMb);
        }
        requireRange("merge-workers", mergeWorkers, 1, MAX_MERGE_WORKERS);
        requireRange("search-ef", searchEf, 1, MAX_SEARCH_EF);
        requireRange("query-cache-mb", queryCacheMb, 0, MAX_QUERY_CACHE_MB);
        requireRange("query-cache-queries", queryCacheQueries, 1, MAX_QUERY_CACHE_QUERIES);
    }

    /**
     * @param maxConn   neighbours per HNSW node
     * @param beamWidth the HNSW build beam
     * @return the defaults with this graph shape
     */
    public static LuceneIndexSettings withGraph(int maxConn, int beamWidth) {
        LuceneIndexSettings d = DEFAULTS;
        return new LuceneIndexSettings(maxConn, beamWidth, d.vectorEncoding, d.ramBufferMb, d.mergeWorkers, d.searchEf,
                d.queryCacheMb, d.queryCacheQueries);
    }

    /**
     * @param encoding the encoding to use instead
     * @return these settings with another vector encoding
     */
    public LuceneIndexSettings withVectorEncoding(VectorEncoding encoding) {
        return new LuceneIndexSettings(hnswMaxConn, hnswBeamWidth, encoding, ramBufferMb, mergeWorkers, searchEf,
                queryCacheMb, queryCacheQueries);
    }

    /**
     * @param ef the neighbours a dense search collects instead
     * @return these settings with another search depth
     */
    public LuceneIndexSettings withSearchEf(int ef) {
        return new LuceneIndexSettings(hnswMaxConn, hnswBeamWidth, vectorEncoding, ramBufferMb, mergeWorkers, ef,
                queryCacheMb, queryCacheQueries);
    }

    /**
     * @param mb the query cache's size instead, 0 for none
     * @return these settings with another query cache size
     */
    public LuceneIndexSettings withQueryCacheMb(int mb) {
        return new LuceneIndexSettings(hnswMaxConn, hnswBeamWidth, vectorEncoding, ramBufferMb, mergeWorkers,
                searchEf, mb, queryCacheQueries);
    }

    private static void requireRange(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("kb.retrieval.index.lucene." + setting + " must be " + min + " to " + max
                    + ", was " + value);
        }
    }
}
