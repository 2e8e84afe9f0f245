package io.kb.embedding.model;

/**
 * Optional capability of an {@link EmbeddingModel} whose tokenizer runs in this process: counting the
 * tokens of a text as the model sees them. Needed to report usage and to reject texts that exceed the
 * model's window. {@link OnnxEmbeddingModel} has it; a model whose tokenizer runs inside a remote server
 * does not.
 */
public interface TokenCounter {

    /**
     * @param text any text
     * @return the number of tokens the model reads for it, special tokens included, before any splitting
     */
    int countTokens(String text);
}
