package io.kb.retrieval.index;

import io.kb.contracts.event.EmbeddingInfo;

/**
 * Thrown when vectors of one embedding model or dimension meet an index built with another: a batch
 * to apply, or a dense query. Vectors of different models are not comparable, so the index refuses
 * them instead of mixing them; re-embedding or a new index is the way out.
 */
public class EmbeddingMismatchException extends IllegalStateException {

    private final EmbeddingInfo indexed;
    private final EmbeddingInfo offered;

    /**
     * @param indexed the model and dimension the index was built with
     * @param offered what the batch or query brought; for a query, the model is the index's and only
     *        the dimension is the query's
     */
    public EmbeddingMismatchException(EmbeddingInfo indexed, EmbeddingInfo offered) {
        super("the index holds vectors of model '" + indexed.model() + "' with dimension " + indexed.dimension()
                + ", refused model '" + offered.model() + "' with dimension " + offered.dimension()
                + "; re-embed the documents or use a new index");
        this.indexed = indexed;
        this.offered = offered;
    }

    /** The model and dimension of the index. */
    public EmbeddingInfo indexed() {
        return indexed;
    }

    /** The model and dimension that were refused. */
    public EmbeddingInfo offered() {
        return offered;
    }
}
