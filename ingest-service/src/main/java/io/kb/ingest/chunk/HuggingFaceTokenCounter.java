package io.kb.ingest.chunk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link TokenCounter} on a Hugging Face {@code tokenizer.json}, run by DJL's binding of the Rust
 * tokenizers library. The bge models' tokenizers come from the LangChain4j embedding artifacts on the
 * classpath ({@code /bge-small-en-v1.5-q-tokenizer.json}, {@code /bge-small-zh-v1.5-q-tokenizer.json});
 * the quantised models share the tokenizer of the originals. Thread-safe; close it to free the native tokenizer.
 */
public final class HuggingFaceTokenCounter implements TokenCounter, AutoCloseable {

    private final String model;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean additive;

    private HuggingFaceTokenCounter(String model, HuggingFaceTokenizer tokenizer, boolean additive) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.additive = additive;
    }

    /**
     * Loads the tokenizer of a model from the classpath.
     *
     * @param model the model's name, such as {@code bge-small-en-v1.5} or {@code bge-small-zh-v1.5}
     * @return a counter for that model
     * @throws IllegalArgumentException when no tokenizer for the model is on the classpath
     */
    public static HuggingFaceTokenCounter forModel(String model) {
        for (String resource : new String[] {"/" + model + "-q-tokenizer.json", "/" + model + "-tokenizer.json"}) {
            try (InputStream in = HuggingFaceTokenCounter.class.getResourceAsStream(resource)) {
                if (in != null) {
                    byte[] json = in.readAllBytes();
                    // Chunks of any length must be counted in full: no truncation, no padding, no special tokens.
                    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false",
                                    "modelMaxLength", String.valueOf(Integer.MAX_VALUE)));
                    return new HuggingFaceTokenCounter(model, tokenizer, splitsAtSpacesFirst(json));
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("the tokenizer of " + model + " could not be read from " + resource, e);
            }
        }
        throw new IllegalArgumentException("no tokenizer for model '" + model + "' on the classpath (expected /"
                + model + "-q-tokenizer.json); known: bge-small-en-v1.5, bge-small-zh-v1.5");
    }

    /** The model whose tokenizer this is. */
    public String model() {
        return model;
    }

    /**
     * The number of tokens of {@code text}: the length of the ids {@link HuggingFaceTokenizer#encode(String, boolean,
     * boolean)} would give. That method also copies out every token as a string, its character offsets, word ids and
     * masks, one native call and one Java array each; the chunker counts every sentence and every growing span, and
     * needs only how many ids there are. So the count asks DJL's native library for the ids alone, on the same
     * tokenizer (configured without truncation, padding or special tokens), and frees the encoding at once.
     */
    @Override
    public int count(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        try {
            return TokenizersLibrary.LIB.getTokenIds(encoding).length;
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
    }

    /** The count through DJL's full encoding, which {@link #count} must equal; for tests. */
    int countByEncoding(String text) {
        return text.isEmpty() ? 0 : tokenizer.encode(text, false, false).getIds().length;
    }

    /** True for BERT's normalizer and pre-tokenizer (the bge models), whose counts add up across spaces. */
    @Override
    public boolean additiveAcrossSpaces() {
        return additive;
    }

    /**
     * Whether the tokenizer is BERT's pipeline: {@code BertNormalizer} (or none), which turns {@code \t \n \r}
     * and space separators into spaces and deletes control characters, then {@code BertPreTokenizer}, which splits
     * at every space before WordPiece sees the words. A tokenizer of another kind (SentencePiece's metaspace, byte
     * level BPE) is counted whole, which is always right.
     */
    static boolean splitsAtSpacesFirst(byte[] tokenizerJson) {
        JsonNode root = JsonMapper.builder().build().readTree(tokenizerJson);
        JsonNode normalizer = root.path("normalizer");
        boolean bertNormalizer = normalizer.isNull() || normalizer.isMissingNode()
                || "BertNormalizer".equals(normalizer.path("type").asString(""));
        return bertNormalizer && "BertPreTokenizer".equals(root.path("pre_tokenizer").path("type").asString(""));
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
