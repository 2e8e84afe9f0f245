package io.kb.inference.generate;

/** Thrown by a {@link TokenSink} when the reader went away; a generator cancels its upstream call and lets it pass. */
public class GenerationCancelledException extends RuntimeException {

    public GenerationCancelledException(String message) {
        super(message);
    }
}
