package io.kb.contracts;

/**
 * Thrown when a value breaks the ingestion contract: a record built with a bad component, or bytes
 * from Kafka or HTTP that do not decode into a valid record.
 *
 * <p>{@link #field()} names the offending part with a JSON-path-like name ({@code tenant},
 * {@code acl[2]}, {@code content.reference}, {@code chunks[3].vector}, or {@code $} for the value as
 * a whole, such as malformed JSON), so that an HTTP edge can report it as an RFC 9457 problem and a
 * consumer can put it in the dead-letter headers. The message always starts with the field:
 * {@code tenant: must not be blank}.
 */
public class ContractViolationException extends IllegalArgumentException {

    private final String field;
    private final String reason;

    /**
     * @param field the JSON-path-like name of the offending field; {@code $} for the whole document
     * @param reason what is wrong, phrased to follow the field name
     */
    public ContractViolationException(String field, String reason) {
        this(field, reason, null);
    }

    /**
     * @param field the JSON-path-like name of the offending field; {@code $} for the whole document
     * @param reason what is wrong, phrased to follow the field name
     * @param cause the lower-level failure, if any
     */
    public ContractViolationException(String field, String reason, Throwable cause) {
        super(field + ": " + reason, cause);
        this.field = field;
        this.reason = reason;
    }

    /** The JSON-path-like name of the offending field, such as {@code chunks[3].vector}. */
    public String field() {
        return field;
    }

    /** The message without the field name in front. */
    public String reason() {
        return reason;
    }

    /**
     * The same violation seen from an enclosing value: a violation of {@code page} inside the chunk at
     * {@code chunks[3]} becomes a violation of {@code chunks[3].page}.
     *
     * @param parent the path of the value that holds the offending one; blank leaves the field unchanged
     * @return a new exception with the combined field and the same reason
     */
    public ContractViolationException within(String parent) {
        if (parent == null || parent.isBlank() || "$".equals(parent)) {
            return this;
        }
        String combined;
        if ("$".equals(field)) {
            combined = parent;
        } else if (field.startsWith("[")) {
            combined = parent + field;
        } else {
            combined = parent + "." + field;
        }
        return new ContractViolationException(combined, reason, getCause());
    }
}
