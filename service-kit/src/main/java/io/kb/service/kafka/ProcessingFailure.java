package io.kb.service.kafka;

/**
 * A record could not be processed. {@link #retryable()} says whether trying again may help (a service that is
 * down, a timeout) or not (a corrupt file, an invalid event); consumers retry only the former, and every failure
 * ends on a dead-letter topic with this stage and message.
 */
public class ProcessingFailure extends RuntimeException {

    private final String stage;
    private final boolean retryable;

    /**
     * @param stage     where it happened, e.g. one of {@link io.kb.contracts.event.IngestStages}
     * @param reason    what happened, for the status topic and the dead-letter headers
     * @param retryable whether another attempt may succeed
     * @param cause     the lower-level failure, if any
     */
    public ProcessingFailure(String stage, String reason, boolean retryable, Throwable cause) {
        super(reason, cause);
        this.stage = stage;
        this.retryable = retryable;
    }

    /** A failure that no retry can fix. */
    public static ProcessingFailure permanent(String stage, String reason) {
        return new Permanent(stage, reason);
    }

    /** A failure that may pass: the record is tried again, with backoff. */
    public static ProcessingFailure transientFailure(String stage, String reason, Throwable cause) {
        return new ProcessingFailure(stage, reason, true, cause);
    }

    public String stage() {
        return stage;
    }

    public boolean retryable() {
        return retryable;
    }

    /** A failure that no retry can fix: the consumer dead-letters the record at once. */
    public static final class Permanent extends ProcessingFailure {
        Permanent(String stage, String reason) {
            super(stage, reason, false, null);
        }
    }
}
