package io.kb.ingest.parse;

import java.util.Objects;

/**
 * A document that could not or may not be parsed. Carries a stable {@link Reason} for status events,
 * metrics and problem details, and a message a person can act on; never a parser library's exception
 * type (the library's exception is at most the cause, for the log).
 */
public final class ParseFailure extends RuntimeException {

    /** Why parsing failed; {@link #code()} is stable and goes into events and metrics. */
    public enum Reason {
        /** The content is not one of the formats ingestion parses. */
        UNSUPPORTED_FORMAT("unsupported-format"),
        /** The document is protected by a password. */
        ENCRYPTED("encrypted"),
        /** The content claims a format but is damaged or truncated. */
        CORRUPT("corrupt"),
        /** More bytes, or more extracted characters, than the limits allow. */
        TOO_LARGE("too-large"),
        /** More pages or slides than the limit allows. */
        TOO_MANY_PAGES("too-many-pages"),
        /** Parsing took longer than the time allowed per document. */
        TIMEOUT("timeout"),
        /** The content expands far beyond its size (a decompression bomb) or nests too deeply. */
        ZIP_BOMB("zip-bomb"),
        /** The document has no text. */
        EMPTY("empty");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The stable code, such as {@code too-large}. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    /**
     * @param reason why parsing failed
     * @param message what was wrong, for a person
     */
    public ParseFailure(Reason reason, String message) {
        this(reason, message, null);
    }

    /**
     * @param reason why parsing failed
     * @param message what was wrong, for a person
     * @param cause the library's exception, for the log; may be null
     */
    public ParseFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why parsing failed. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "ParseFailure[" + reason.code() + "]: " + getMessage();
    }
}
