package io.kb.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HuggingFaceTokenCounterTest {

    @Test
    void countsWithTheEnglishModelsWordPieces() {
        try (HuggingFaceTokenCounter counter = HuggingFaceTokenCounter.forModel("bge-small-en-v1.5")) {
            assertThat(counter.count("hello world")).isEqualTo(2);
            assertThat(counter.count("")).isZero();
            // No truncation at the model's 512 tokens: long chunks are counted in full.
            assertThat(counter.count("hello ".repeat(1000))).isEqualTo(1000);
        }
    }

    @Test
    void countsChineseCharactersWithTheChineseModel() {
        try (HuggingFaceTokenCounter counter = HuggingFaceTokenCounter.forModel("bge-small-zh-v1.5")) {
            assertThat(counter.count("今天天气很好")).isEqualTo(6);
        }
    }

    @Test
    void rejectsAnUnknownModel() {
        assertThatThrownBy(() -> HuggingFaceTokenCounter.forModel("no-such-model"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-model");
    }
}
