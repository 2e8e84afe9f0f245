package io.kb.inference.retrieve;

/** retrieval-service did not answer, or refused the question for a reason that is not the asker's fault. */
public class RetrievalUnavailableException extends RuntimeException {

    public RetrievalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
