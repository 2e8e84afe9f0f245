package io.kb.inference.generate;

/**
 * Stage 4 of the pipeline: writes the answer from the numbered sources.
 *
 * <p>Adapters: {@code ExtractiveGenerator} (no model, picks and cites evidence sentences), {@code TritonGenerator}
 * (KServe v2 gRPC, decoupled streaming) and {@code OpenAiCompatibleGenerator} (chat completions over HTTP). The call
 * blocks the calling (virtual) thread and hands text to the sink as it is produced. An adapter never retries once
 * it has handed text to the sink: the reader has already seen it.
 */
public interface Generator {

    /**
     * Generates the answer.
     *
     * @param request the question, its numbered sources and the rendered prompt
     * @param sink    receives the text as it is produced; throws {@link GenerationCancelledException} when the
     *                reader has gone, which the adapter lets through after cancelling its upstream call
     * @return the whole text with token counts
     * @throws GenerationException when the answer could not be produced; {@link GenerationException#textSent()}
     *                             tells whether some text already reached the sink
     */
    Generation generate(GenerationRequest request, TokenSink sink);
}
