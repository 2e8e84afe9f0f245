package io.kb.embedding.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ONNX models shipped on the classpath by the langchain4j bge-small artifacts: quantized Xenova
 * exports of BAAI's bge-small v1.5, with their tokenizer.json beside them. Both use CLS pooling.
 *
 * @see OnnxEmbeddingModel
 */
public enum BundledOnnxModel {

    /** English, 384 dimensions. */
    BGE_SMALL_EN_V15("bge-small-en-v1.5", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", 384),

    /** Chinese (and some English), 512 dimensions. */
    BGE_SMALL_ZH_V15("bge-small-zh-v1.5", "bge-small-zh-v1.5-q.onnx", "bge-small-zh-v1.5-q-tokenizer.json", 512);

    /** The window of both models, in tokens, [CLS] and [SEP] included. */
    public static final int MAX_TOKENS = 512;

    private final String modelName;
    private final String modelResource;
    private final String tokenizerResource;
    private final int dimension;

    BundledOnnxModel(String modelName, String modelResource, String tokenizerResource, int dimension) {
        this.modelName = modelName;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.dimension = dimension;
    }

    /** The name used in configuration and API requests. */
    public String modelName() {
        return modelName;
    }

    /** The classpath resource of the ONNX graph. */
    public String modelResource() {
        return modelResource;
    }

    /** The classpath resource of the Hugging Face tokenizer.json. */
    public String tokenizerResource() {
        return tokenizerResource;
    }

    /** The length of the vectors. */
    public int dimension() {
        return dimension;
    }

    /**
     * @param name a model name such as {@code bge-small-zh-v1.5}
     * @return the bundled model of that name, if there is one
     */
    public static Optional<BundledOnnxModel> byName(String name) {
        return Arrays.stream(values()).filter(m -> m.modelName.equals(name)).findFirst();
    }

    /** The names of all bundled models, for error messages. */
    public static List<String> names() {
        return Arrays.stream(values()).map(BundledOnnxModel::modelName).toList();
    }
}
