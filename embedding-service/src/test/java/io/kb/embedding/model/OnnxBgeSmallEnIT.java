package io.kb.embedding.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract, plus batching and long-text behaviour, on the real English ONNX model. */
class OnnxBgeSmallEnIT extends BgeSmallEnContract {

    private static OnnxEmbeddingModel model;

    @BeforeAll
    static void load() {
        model = OnnxEmbeddingModel.load(BundledOnnxModel.BGE_SMALL_EN_V15, OnnxOptions.DEFAULTS);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Override
    protected EmbeddingModel model() {
        return model;
    }

    @Test
    void perTextInferenceGivesTheSameVectorsInABatchAsAloneWithin1e4() {
        List<String> texts = SampleTexts.paragraphs(24);
        List<float[]> together = model.embed(texts);

        for (int i = 0; i < texts.size(); i++) {
            float[] alone = model.embed(List.of(texts.get(i))).getFirst();
            assertThat(together.get(i)).as("text %d", i).containsExactly(alone, within(1e-4f));
        }
    }

    @Test
    void batchedInferenceStaysCloseToPerTextButNotWithin1e4OnTheQuantizedModel() {
        List<String> texts = SampleTexts.paragraphs(24);
        try (var batched = OnnxEmbeddingModel.load(BundledOnnxModel.BGE_SMALL_EN_V15,
                OnnxOptions.DEFAULTS.withInference(OnnxOptions.Inference.BATCHED))) {
            List<float[]> inBatch = batched.embed(texts);
            double largest = 0;
            for (int i = 0; i < texts.size(); i++) {
                float[] alone = model.embed(List.of(texts.get(i))).getFirst();
                assertThat(dot(inBatch.get(i), alone)).as("text %d", i).isGreaterThan(0.98);
                for (int d = 0; d < alone.length; d++) {
                    largest = Math.max(largest, Math.abs(inBatch.get(i)[d] - alone[d]));
                }
                // A batch of one is the same call as per-text inference.
                assertThat(batched.embed(List.of(texts.get(i))).getFirst()).containsExactly(alone, within(1e-4f));
            }
            // Documents why per-text is the default: one activation scale per call couples a batch's texts.
            assertThat(largest).isGreaterThan(1e-4);
        }
    }

    @Test
    void matchesLangchain4jsEmbeddingOfTheSameModel() {
        List<String> texts = SampleTexts.paragraphs(8);
        var reference = new BgeSmallEnV15QuantizedEmbeddingModel();
        List<float[]> expected = reference.embedAll(texts.stream().map(TextSegment::from).toList()).content()
                .stream().map(e -> e.vector()).toList();

        List<float[]> actual = model.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(actual.get(i)).as("text %d", i).containsExactly(expected.get(i), within(1e-4f));
        }
    }

    @Test
    void countsTokensWithSpecialTokens() {
        assertThat(model.countTokens("hello world")).isEqualTo(4);
    }

    @Test
    void splitsALongTextIntoWindowsAndAveragesThem() {
        String first = SampleTexts.longText(0, 700);
        String second = SampleTexts.longText(1, 700);
        String longText = first + " " + second;
        assertThat(model.countTokens(longText)).isGreaterThan(1000);

        float[] whole = model.embed(List.of(longText)).getFirst();

        assertThat(norm(whole)).isCloseTo(1.0, within(1e-4));
        // Averaged windows resemble both halves and the whole differs from either half alone.
        float[] a = model.embed(List.of(first)).getFirst();
        float[] b = model.embed(List.of(second)).getFirst();
        assertThat(dot(whole, a)).isGreaterThan(0.7).isLessThan(0.9999);
        assertThat(dot(whole, b)).isGreaterThan(0.5);
    }

    @Test
    void embedsAMixOfLongAndShortTextsInOrder() {
        List<String> texts = new ArrayList<>(SampleTexts.paragraphs(5));
        texts.add(2, SampleTexts.longText(2, 900));
        List<float[]> together = model.embed(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(together.get(i)).containsExactly(model.embed(List.of(texts.get(i))).getFirst(), within(1e-4f));
        }
    }
}
