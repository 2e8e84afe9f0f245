package io.kb.retrieval.index.lucene;

import java.util.Objects;

/**
 * How {@link LuceneChunkIndex} writes its index: the HNSW graph's shape, how vectors are encoded in it, and
 * how much the writer buffers and merges at once. The settings apply to the segments written from now on; an
 * index written with other settings opens and searches as it is, and merges rewrite it with these.
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
 */
public record LuceneIndexSettings(int hnswMaxConn, int hnswBeamWidth, VectorEncoding vectorEncoding,
        double ramBufferMb, int mergeWorkers) {

    /** Lucene's default neighbours per HNSW node. */
    public static final int DEFAULT_MAX_CONN = 16;
    /** Lucene's default candidate list size while building the HNSW graph. */
    public static final int DEFAULT_BEAM_WIDTH = 100;
    /** Lucene's default write buffer, in MiB. */
    public static final double DEFAULT_RAM_BUFFER_MB = 16;

    static final int MAX_MAX_CONN = 512;
    static final int MAX_BEAM_WIDTH = 3200;
    static final double MIN_RAM_BUFFER_MB = 1;
    static final double MAX_RAM_BUFFER_MB = 2048;
    static final int MAX_MERGE_WORKERS = 64;

    /** Lucene's defaults: float32 vectors, 16 neighbours, beam 100, 16 MiB buffer, one merge worker. */
    public static final LuceneIndexSettings DEFAULTS = new LuceneIndexSettings(DEFAULT_MAX_CONN, DEFAULT_BEAM_WIDTH,
            VectorEncoding.FLOAT32, DEFAULT_RAM_BUFFER_MB, 1);

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
    }

    /**
     * @param encoding the encoding to use instead
     * @return these settings with another vector encoding
     */
    public LuceneIndexSettings withVectorEncoding(VectorEncoding encoding) {
        return new LuceneIndexSettings(hnswMaxConn, hnswBeamWidth, encoding, ramBufferMb, mergeWorkers);
    }

    private static void requireRange(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("kb.retrieval.index.lucene." + setting + " must be " + min + " to " + max
                    + ", was " + value);
        }
    }
}
