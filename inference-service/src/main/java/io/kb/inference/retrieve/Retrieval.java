package io.kb.inference.retrieve;

import java.util.List;

/**
 * What retrieval returned.
 *
 * @param chunks   best first
 * @param degraded why retrieval ran in a lesser mode (e.g. BM25 only), or {@code null}
 */
public record Retrieval(List<RetrievedChunk> chunks, String degraded) {

    /** Copies the list. */
    public Retrieval {
        chunks = List.copyOf(chunks);
    }
}
