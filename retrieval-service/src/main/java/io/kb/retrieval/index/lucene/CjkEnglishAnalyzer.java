package io.kb.retrieval.index.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The one analyzer of the chunk text, for documents and queries that mix Chinese (or Japanese,
 * Korean) and English: a corpus rarely keeps to one language, and one field with one analyzer keeps
 * BM25 statistics in one place.
 *
 * <p>The Unicode word rules of {@link StandardTokenizer} split Latin text into words and CJK text
 * into single ideographs; full-width forms are folded to their usual width and everything is lower
 * cased; runs of CJK characters become overlapping bigrams ({@code 知识库} gives {@code 知识} and
 * {@code 识库}), which needs no dictionary and matches any word of two or more characters; English
 * loses possessives and stop words and is stemmed with Porter ({@code indexing} and {@code indexes}
 * both give {@code index}). The stemmer leaves CJK bigrams alone, as they have no English suffix.
 */
public final class CjkEnglishAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer source = new StandardTokenizer();
        TokenStream stream = new CJKWidthFilter(source);
        stream = new LowerCaseFilter(stream);
        stream = new CJKBigramFilter(stream);
        stream = new EnglishPossessiveFilter(stream);
        stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(new CJKWidthFilter(in));
    }
}
