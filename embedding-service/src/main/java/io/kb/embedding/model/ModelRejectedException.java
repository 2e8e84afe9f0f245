package io.kb.embedding.model;

/**
 * The server hosting a model refused or failed a request in a way that a retry will not fix: it does not
 * know the model or version, the request does not match the model's inputs, or the answer does not match
 * the configured outputs. Usually a configuration error on one side; the message says which.
 */
public class ModelRejectedException extends RuntimeException {

    /**
     * @param message what failed, naming the model and the server's reason
     * @param cause   the transport's error, or null when the answer itself was wrong
     */
    public ModelRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
