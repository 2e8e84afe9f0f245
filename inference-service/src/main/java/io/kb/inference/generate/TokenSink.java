package io.kb.inference.generate;

/** Receives an answer's text piece by piece, as a generator produces it. */
@FunctionalInterface
public interface TokenSink {

    /**
     * Takes the next piece of text.
     *
     * @param text the new text, never empty
     * @throws GenerationCancelledException when nobody reads any more
     */
    void accept(String text);

    /** A sink that drops everything, for callers that only want the final text. */
    static TokenSink discard() {
        return text -> { };
    }
}
