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

    /**
     * Whether counts add up across a space: {@code count(a + gap + b) == count(a) + count(b)} whenever {@code gap}
     * is one or more of {@code ' '}, {@code '\t'}, {@code '\n'}, {@code '\r'} and Unicode space separators. That
     * holds for a tokenizer that splits words at whitespace before anything else and never merges tokens across
     * it (BERT's WordPiece: the normalizer maps those characters to spaces, the pre-tokenizer splits there), and
     * lets the chunker count a growing chunk by adding the count of each new piece. Other characters that Java
     * deems whitespace do not qualify: BERT's normalizer deletes control characters such as {@code '\u001C'},
     * joining the words around them.
     *
     * @return true only when the tokenizer is known to behave so; false makes callers count whole texts
     */
    default boolean additiveAcrossSpaces() {
        return false;
    }
}
