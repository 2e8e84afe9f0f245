package io.kb.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    private static List<String> sentences(String text) {
        return SentenceSplitter.split(text, 0, text.length()).stream().map(s -> text.substring(s[0], s[1])).toList();
    }

    @Test
    void splitsEnglishButNotAtAbbreviationsInitialsOrDecimals() {
        assertThat(sentences("Dr. Smith paid 3.5 million for U.S. rights, e.g. films. It was a lot! Was it? \"Yes.\" Fine"))
                .containsExactly("Dr. Smith paid 3.5 million for U.S. rights, e.g. films.", "It was a lot!", "Was it?",
                        "\"Yes.\"", "Fine");
    }

    @Test
    void splitsChineseAtFullWidthTerminatorsWithoutSpaces() {
        assertThat(sentences("今天开会。明天放假！你来吗？请回复；谢谢｡好的"))
                .containsExactly("今天开会。", "明天放假！", "你来吗？", "请回复；", "谢谢｡", "好的");
    }

    @Test
    void splitsMixedChineseAndEnglish() {
        assertThat(sentences("版本 2.0 已发布。See the notes. 详见说明!"))
                .containsExactly("版本 2.0 已发布。", "See the notes.", "详见说明!");
    }
}
