package io.kb.ingest.chunk;

/**
 * Counts tokens as an embedding model's own tokenizer does, so that chunks fit the model's input.
 * Implementations wrap a model's tokenizer: {@link HuggingFaceTokenCounter} reads a
 * {@code tokenizer.json}; a test may count words.
 */
public interface TokenCounter {

    /**
     * @param text any text
     * @return how many tokens the model sees for it, without special tokens such as {@code [CLS]}
     */
    int count(String text);
}
