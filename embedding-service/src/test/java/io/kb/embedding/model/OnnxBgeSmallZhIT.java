package io.kb.embedding.model;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on the real Chinese ONNX model. */
class OnnxBgeSmallZhIT extends EmbeddingModelContract {

    private static OnnxEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = OnnxEmbeddingModel.load(BundledOnnxModel.BGE_SMALL_ZH_V15, OnnxOptions.DEFAULTS);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Override
    protected EmbeddingModel model() {
        return model;
    }

    @Override
    protected int expectedDimension() {
        return 512;
    }

    @Override
    protected List<String> sentenceParaphraseUnrelated() {
        return List.of(
                "如何重置公司VPN的登录密码？",
                "修改VPN账户密码的步骤是什么？",
                "食堂每周四供应意大利千层面。");
    }
}
