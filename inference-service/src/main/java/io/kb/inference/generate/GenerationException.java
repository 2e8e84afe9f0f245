package io.kb.inference.generate;

/**
 * A generation that did not complete. The degradation policy reads {@link #kind()} to decide whether the tier is
 * unhealthy, and {@link #textSent()} to decide whether another tier may still answer (only when nothing was sent).
 */
public class GenerationException extends RuntimeException {

    /** Why the generation failed. */
    public enum Kind {
        /** The backend cannot be reached or its model is not ready. */
        UNAVAILABLE,
        /** The deadline passed. */
        TIMEOUT,
        /** The backend refused for lack of capacity (full queue, 429, RESOURCE_EXHAUSTED). */
        OVERLOADED,
        /** The backend answered with an error. */
        FAILED
    }

    private final Kind kind;
    private final boolean textSent;

    public GenerationException(Kind kind, String message, boolean textSent, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.textSent = textSent;
    }

    public GenerationException(Kind kind, String message, boolean textSent) {
        this(kind, message, textSent, null);
    }

    public Kind kind() {
        return kind;
    }

    /** Whether some of the answer already reached the sink, so that no other tier may take over. */
    public boolean textSent() {
        return textSent;
    }
}
