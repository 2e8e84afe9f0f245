package io.kb.embedding.batch;

import java.time.Duration;

/** A model's queue is full: the request was not accepted and the caller should retry after a pause. */
public class OverloadedException extends RuntimeException {

    private final transient Duration retryAfter;

    /**
     * @param model the model whose queue is full
     * @param texts how many texts the request brought
     * @param retryAfter when the caller may try again
     */
    public OverloadedException(String model, int texts, Duration retryAfter) {
        super("the queue of model " + model + " cannot take " + texts + " more texts; retry after "
                + retryAfter.toSeconds() + " s");
        this.retryAfter = retryAfter;
    }

    /** When the caller may try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
