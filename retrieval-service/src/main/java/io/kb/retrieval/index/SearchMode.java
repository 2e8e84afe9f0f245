package io.kb.retrieval.index;

/** The kind of one index search; hybrid search runs both and fuses the lists in a later stage. */
public enum SearchMode {
    /** Nearest neighbours of a query vector, by cosine similarity. */
    DENSE,
    /** Full-text relevance of a query text (BM25). */
    BM25
}
