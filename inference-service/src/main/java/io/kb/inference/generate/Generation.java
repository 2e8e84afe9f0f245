package io.kb.inference.generate;

/**
 * What a generator produced.
 *
 * @param text             the whole answer, with citation markers such as {@code [1]} as the generator wrote them
 * @param promptTokens     tokens read by the model, or an estimate when the backend does not report it
 * @param completionTokens tokens written by the model, or an estimate
 * @param finishReason     why generation stopped: {@code stop}, {@code length}, or what the backend says
 */
public record Generation(String text, int promptTokens, int completionTokens, String finishReason) {

    /** Checks the text is present and the counts are not negative. */
    public Generation {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        finishReason = finishReason == null || finishReason.isBlank() ? "stop" : finishReason;
    }
}
