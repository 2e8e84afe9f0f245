package io.kb.embedding.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What every {@link EmbeddingModel} adapter must do; each adapter's test extends this class and supplies
 * the model and sentences in the model's language.
 */
public abstract class EmbeddingModelContract {

    /** The adapter under test, loaded once per test class. */
    protected abstract EmbeddingModel model();

    /** The dimension the adapter must report and produce. */
    protected abstract int expectedDimension();

    /** A sentence, a paraphrase of it, and a sentence about something else, in the model's language. */
    protected abstract List<String> sentenceParaphraseUnrelated();

    @Test
    void returnsOneUnitVectorOfTheModelsDimensionPerText() {
        List<String> texts = sentenceParaphraseUnrelated();
        List<float[]> vectors = model().embed(texts);

        assertThat(model().dimension()).isEqualTo(expectedDimension());
        assertThat(vectors).hasSize(texts.size());
        for (float[] vector : vectors) {
            assertThat(vector).hasSize(expectedDimension());
            assertThat(norm(vector)).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void givesTheSameVectorForTheSameText() {
        String text = sentenceParaphraseUnrelated().getFirst();
        float[] first = model().embed(List.of(text)).getFirst();
        float[] second = model().embed(List.of(text)).getFirst();

        assertThat(second).containsExactly(first);
    }

    @Test
    void placesAParaphraseCloserThanAnUnrelatedSentence() {
        List<float[]> v = model().embed(sentenceParaphraseUnrelated());

        double paraphrase = dot(v.get(0), v.get(1));
        double unrelated = dot(v.get(0), v.get(2));
        assertThat(paraphrase).isGreaterThan(unrelated + 0.1);
    }

    @Test
    void keepsTheInputOrder() {
        List<String> texts = sentenceParaphraseUnrelated();
        List<float[]> forward = model().embed(texts);
        List<float[]> backward = model().embed(texts.reversed());

        for (int i = 0; i < texts.size(); i++) {
            assertThat(dot(forward.get(i), backward.get(texts.size() - 1 - i))).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void reportsAWindowOf512Tokens() {
        assertThat(model().maxTokens()).isEqualTo(512);
    }

    protected static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    protected static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }
}
