package io.kb.retrieval.rerank;

import java.util.Locale;

/** A reranking that did not happen; the search answers in fused order, and {@link #failure()} says why. */
public class RerankerException extends RuntimeException {

    /** Why a reranking failed; the name is the {@code outcome} tag of the {@code kb.retrieval.rerank} counter. */
    public enum Failure {
        /** No answer within the deadline. */
        TIMEOUT("the reranker did not answer in time"),
        /** The model server cannot be reached or is overloaded. */
        UNAVAILABLE("the reranker is unavailable"),
        /** The model server refused the request (unknown model, tensors that do not match it). */
        REJECTED("the reranker refused the request"),
        /** The answer is not one finite score per candidate. */
        MALFORMED("the reranker's answer was malformed");

        private final String reason;

        Failure(String reason) {
            this.reason = reason;
        }

        /** What a search response says, without the server's own words, which may name internal hosts. */
        public String reason() {
            return reason;
        }

        /** The {@code outcome} tag. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Failure failure;

    public RerankerException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
