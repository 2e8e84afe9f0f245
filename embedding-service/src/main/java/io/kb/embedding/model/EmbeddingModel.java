package io.kb.embedding.model;

import java.util.List;

/**
 * Port to a text embedding model: turns texts into dense vectors for similarity search.
 *
 * <p>Implementations: {@link OnnxEmbeddingModel}, the embedded default, runs a quantized bge-small model
 * in-process with ONNX Runtime; {@link TritonEmbeddingModel} (KServe v2 gRPC) serves the same models from a
 * GPU cluster. The port holds only what every backend supports; counting tokens is the separate capability
 * {@link TokenCounter}, because a model hosted with its tokenizer server-side cannot count on the client.
 *
 * <p>Implementations are thread-safe and are loaded once; callers batch texts themselves (see the
 * {@code batch} package), so an implementation should make one call for many texts cheaper than many calls.
 */
public interface EmbeddingModel {

    /** The model's stable name, such as {@code bge-small-en-v1.5}; it travels with every vector. */
    String name();

    /** The length of every vector this model returns. */
    int dimension();

    /** The model's context window in tokens, special tokens included (512 for bge). */
    int maxTokens();

    /**
     * Embeds texts. A text longer than {@link #maxTokens()} is embedded by windows of at most that many
     * tokens whose vectors are averaged, weighted by their token counts, then re-normalized.
     *
     * @param texts non-blank texts
     * @return one L2-normalized vector of {@link #dimension()} floats per text, in the order of {@code texts}
     */
    List<float[]> embed(List<String> texts);
}
