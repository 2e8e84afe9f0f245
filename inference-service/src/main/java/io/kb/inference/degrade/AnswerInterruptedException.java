package io.kb.inference.degrade;

/**
 * A tier failed after part of its answer had reached the reader. Generation is never retried then, on this tier
 * or another: the reader would see two different answers run together.
 */
public class AnswerInterruptedException extends RuntimeException {

    public AnswerInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
