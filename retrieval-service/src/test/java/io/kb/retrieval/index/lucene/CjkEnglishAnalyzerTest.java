package io.kb.retrieval.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class CjkEnglishAnalyzerTest {

    private final Analyzer analyzer = new CjkEnglishAnalyzer();

    @Test
    void splitsChineseIntoBigrams() throws IOException {
        assertThat(tokens("知识库")).containsExactly("知识", "识库");
    }

    @Test
    void stemsEnglishAndDropsStopWordsAndPossessives() throws IOException {
        assertThat(tokens("The Company's indexing policies")).containsExactly("compani", "index", "polici");
        assertThat(tokens("indexes")).containsExactly("index");
    }

    @Test
    void handlesBothLanguagesInOneText() throws IOException {
        assertThat(tokens("Kafka 消息队列 configuration")).containsExactly("kafka", "消息", "息队", "队列", "configur");
    }

    @Test
    void foldsFullWidthLetters() throws IOException {
        assertThat(tokens("ＫＡＦＫＡ")).containsExactly("kafka");
    }

    private List<String> tokens(String text) throws IOException {
        List<String> tokens = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        }
        return tokens;
    }
}
