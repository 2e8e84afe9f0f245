package io.kb.ingest.pipeline;

/**
 * A document could not be ingested. {@link #retryable()} says whether trying again may help (a service that
 * is down, a timeout) or not (a corrupt file, a bad reference); the consumer retries only the former and sends
 * the record to the dead-letter topic after that.
 */
public class IngestFailure extends RuntimeException {

    private final String stage;
    private final boolean retryable;

    /**
     * @param stage     where it happened: one of {@link io.kb.contracts.event.IngestStages}
     * @param reason    what happened, for the status topic and the dead-letter headers
     * @param retryable whether another attempt may succeed
     * @param cause     the lower-level failure, if any
     */
    public IngestFailure(String stage, String reason, boolean retryable, Throwable cause) {
        super(reason, cause);
        this.stage = stage;
        this.retryable = retryable;
    }

    public static IngestFailure permanent(String stage, String reason) {
        return new Permanent(stage, reason);
    }

    public static IngestFailure transientFailure(String stage, String reason, Throwable cause) {
        return new IngestFailure(stage, reason, true, cause);
    }

    public String stage() {
        return stage;
    }

    public boolean retryable() {
        return retryable;
    }

    /** A failure that no retry can fix: the consumer sends the record to the dead-letter topic at once. */
    public static final class Permanent extends IngestFailure {
        Permanent(String stage, String reason) {
            super(stage, reason, false, null);
        }
    }
}
