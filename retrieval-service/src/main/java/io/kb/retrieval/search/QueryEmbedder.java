package io.kb.retrieval.search;

/**
 * Stage 1 of a search: the query's vector, from the embedding model of the caller's knowledge base (the one its
 * documents were embedded with). Implementations: {@link HttpQueryEmbedder} (embedding-service).
 */
public interface QueryEmbedder {

    /** A query vector and the model that made it. */
    record QueryVector(String model, float[] vector) {
    }

    /**
     * @throws QueryEmbeddingUnavailable when the model cannot be reached in time
     */
    QueryVector embed(String knowledgeBase, String query);

    /** The query could not be embedded now; dense retrieval is not possible for this request. */
    class QueryEmbeddingUnavailable extends RuntimeException {
        public QueryEmbeddingUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
