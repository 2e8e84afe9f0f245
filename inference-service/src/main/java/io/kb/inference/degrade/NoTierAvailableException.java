package io.kb.inference.degrade;

/** Every tier refused or failed before answering; the message says what happened to each. */
public class NoTierAvailableException extends RuntimeException {

    public NoTierAvailableException(String message) {
        super(message);
    }
}
