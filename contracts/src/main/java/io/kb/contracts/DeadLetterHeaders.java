package io.kb.contracts;

/**
 * Kafka header names on dead-letter records ({@link Topics#DOCUMENTS_DLQ}, {@link Topics#CHUNKS_DLQ}).
 *
 * <p>A dead-letter record keeps the original key and the original value bytes unchanged, so that it
 * can be replayed once the cause is fixed; these headers say what went wrong. Every header value is
 * UTF-8 text.
 */
public final class DeadLetterHeaders {

    /**
     * Why the record failed, for a person to read; for a contract violation this is the
     * {@link ContractViolationException} message, which starts with the field name.
     */
    public static final String ERROR_REASON = "kb-error-reason";

    /** The fully qualified class name of the exception that failed the record. */
    public static final String ERROR_CLASS = "kb-error-class";

    /**
     * The processing stage that failed: {@code decode}, {@code fetch}, {@code parse}, {@code chunk},
     * {@code embed}, {@code publish} or {@code index}.
     */
    public static final String ERROR_STAGE = "kb-error-stage";

    /** How many times the record was tried before it was dead-lettered, as a decimal number. */
    public static final String ERROR_ATTEMPTS = "kb-error-attempts";

    /** The topic the record was consumed from. */
    public static final String ORIGINAL_TOPIC = "kb-original-topic";

    /** The partition the record was consumed from, as a decimal number. */
    public static final String ORIGINAL_PARTITION = "kb-original-partition";

    /** The offset of the record in its original partition, as a decimal number. */
    public static final String ORIGINAL_OFFSET = "kb-original-offset";

    /** When the record was dead-lettered, as an ISO-8601 instant such as {@code 2025-05-01T12:00:00Z}. */
    public static final String FAILED_AT = "kb-failed-at";

    private DeadLetterHeaders() {
    }
}
