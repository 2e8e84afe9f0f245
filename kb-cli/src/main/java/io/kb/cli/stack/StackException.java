package io.kb.cli.stack;

/** The local stack could not do what was asked; the message says what to do about it. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
