package io.kb.embedding.model;

/**
 * The server hosting a model cannot answer now: it is down or unreachable, out of capacity, or did not
 * answer within the deadline. Retryable: the same request may succeed later, so the API answers 503 with
 * {@code Retry-After}.
 */
public class ModelUnavailableException extends RuntimeException {

    /**
     * @param message what failed, naming the model and the server's reason
     * @param cause   the transport's error
     */
    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
