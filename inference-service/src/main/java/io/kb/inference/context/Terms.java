package io.kb.inference.context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The content words of a text, as the evidence checks compare them: the same analysis as retrieval-service's index
 * (Unicode words, CJK bigrams, Porter stems), with the words that only shape a question ("how", "many", "what",
 * "可以", "多少") removed as well as English stop words, since evidence never needs to contain them.
 */
public final class Terms {

    private static final CharArraySet STOP_WORDS = stopWords();
    private static final Analyzer ANALYZER = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            StandardTokenizer source = new StandardTokenizer();
            TokenStream stream = new CJKWidthFilter(source);
            stream = new LowerCaseFilter(stream);
            stream = new CJKBigramFilter(stream);
            stream = new EnglishPossessiveFilter(stream);
            stream = new StopFilter(stream, STOP_WORDS);
            stream = new PorterStemFilter(stream);
            return new TokenStreamComponents(source, stream);
        }
    };

    private Terms() {
    }

    /**
     * The text's terms in order, repeats kept.
     *
     * @param text any text, in any language
     * @return the stems and bigrams
     */
    public static List<String> of(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = ANALYZER.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysing a string cannot fail", e);
        }
        return terms;
    }

    private static CharArraySet stopWords() {
        CharArraySet set = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
        for (String w : List.of("how", "many", "much", "what", "which", "when", "where", "who", "whom", "whose",
                "why", "do", "does", "did", "can", "could", "should", "would", "may", "might", "must", "i", "me",
                "my", "we", "our", "you", "your", "get", "each", "am", "been", "has", "have", "had", "tell", "about",
                "please", "need", "want", "there", "any", "some", "s")) {
            set.add(w);
        }
        // Bigrams that only shape a Chinese question.
        for (String w : List.of("什么", "多少", "哪些", "哪个", "怎么", "如何", "可以", "需要", "是否", "吗", "的",
                "是什", "么时", "时候", "少天", "多久", "要在", "之前")) {
            set.add(w);
        }
        return set;
    }
}
