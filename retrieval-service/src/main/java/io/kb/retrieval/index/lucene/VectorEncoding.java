package io.kb.retrieval.index.lucene;

import java.util.Locale;

/**
 * How the HNSW graph of the chunk index compares vectors ({@code kb.retrieval.index.lucene.vector-encoding}).
 *
 * <p>Every encoding keeps the 32-bit vectors on disk: merges need them to quantize again, and a quantized
 * index re-scores the hits a search keeps with them, so the scores a search returns are exact cosine
 * similarities whatever the encoding. What changes is what the graph walk reads: the smaller the code, the
 * more of the graph's vectors stay in the page cache and the cheaper each comparison is, at the price of a
 * coarser comparison (a neighbour can be missed) and of a bigger index, since the codes come on top of the
 * 32-bit vectors.
 */
public enum VectorEncoding {

    /**
     * 32-bit floats, Lucene's plain HNSW format: exact comparisons, 4 bytes per dimension. The graph walk
     * reads the full vectors, so a graph bigger than the page cache is read from disk. The default.
     */
    FLOAT32,

    /**
     * 8-bit codes (Lucene's optimized scalar quantization): about 1 byte per dimension more on disk (1.25 x a
     * float32 index's vectors), a fourth of the bytes read per comparison, and a small loss of recall that the
     * re-scoring of the kept hits with the 32-bit vectors mostly recovers. Writes pay for the quantization.
     */
    INT8,

    /**
     * 4-bit codes, two per byte: half a byte per dimension more on disk, an eighth of the bytes read per
     * comparison, and a visible loss of recall unless a search asks for more candidates than it keeps.
     */
    INT4;

    /** The setting's value, as written in configuration: {@code float32}, {@code int8} or {@code int4}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the graph holds codes rather than the vectors themselves, so that hits are re-scored. */
    public boolean quantized() {
        return this != FLOAT32;
    }

    /**
     * @param value {@code float32}, {@code int8} or {@code int4}, in any case
     * @return the encoding
     * @throws IllegalArgumentException naming the setting and its values when {@code value} is none of them
     */
    public static VectorEncoding of(String value) {
        for (VectorEncoding encoding : values()) {
            if (encoding.value().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return encoding;
            }
        }
        throw new IllegalArgumentException("kb.retrieval.index.lucene.vector-encoding must be float32, int8 or int4, was "
                + value);
    }
}
