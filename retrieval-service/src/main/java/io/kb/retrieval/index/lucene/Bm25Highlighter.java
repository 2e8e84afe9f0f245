package io.kb.retrieval.index.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.kb.retrieval.index.Highlight;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.uhighlight.Passage;
import org.apache.lucene.search.uhighlight.PassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.search.uhighlight.WholeBreakIterator;
import org.apache.lucene.util.QueryBuilder;

/**
 * The stretches of a chunk's text that a BM25 query matched, by the analysis of {@link CjkEnglishAnalyzer}: the
 * Lucene index highlights its own hits with it, and engines that return no match positions (Milvus) highlight
 * theirs with it too, so the UI gets the same kind of highlights from every index.
 */
public final class Bm25Highlighter {

    /** Highlight whole chunks: they are bounded by the chunker, far below this. */
    private static final int HIGHLIGHT_MAX_LENGTH = 1 << 20;

    private final Analyzer analyzer;
    private final String field;
    private final QueryBuilder queryBuilder;
    private final UnifiedHighlighter highlighter;

    /** A highlighter with its own {@link CjkEnglishAnalyzer}. */
    public Bm25Highlighter() {
        this(new CjkEnglishAnalyzer(), "text");
    }

    Bm25Highlighter(Analyzer analyzer, String field) {
        this.analyzer = analyzer;
        this.field = field;
        this.queryBuilder = new QueryBuilder(analyzer);
        this.highlighter = UnifiedHighlighter.builderWithoutSearcher(analyzer)
                .withBreakIterator(WholeBreakIterator::new)
                .withMaxLength(HIGHLIGHT_MAX_LENGTH)
                .withFormatter(new HighlightFormatter())
                .build();
    }

    /** The analyzer, for an index that searches with it. */
    Analyzer analyzer() {
        return analyzer;
    }

    /**
     * @param queryText a BM25 query text
     * @return the text query on this highlighter's field, or {@code null} when the text has no terms (only stop
     *         words or punctuation)
     */
    Query textQuery(String queryText) {
        return queryBuilder.createBooleanQuery(field, queryText, Occur.SHOULD);
    }

    /**
     * @param queryText a BM25 query text
     * @return whether the text has a term to search for, after stop words and punctuation are dropped
     */
    public boolean hasTerms(String queryText) {
        return textQuery(queryText) != null;
    }

    /**
     * @param queryText the query text of a BM25 search
     * @param text the text of a hit
     * @return the matched stretches of {@code text}, in order, merged where they touch; empty when nothing matched
     */
    public List<Highlight> highlights(String queryText, String text) {
        Query query = textQuery(queryText);
        return query == null ? List.of() : highlights(query, text);
    }

    /**
     * @param textQuery a query made by {@link #textQuery}
     * @param text the text of a hit
     * @return the matched stretches of {@code text}
     */
    List<Highlight> highlights(Query textQuery, String text) {
        try {
            Object spans = highlighter.highlightWithoutSearcher(field, textQuery, text, 1);
            if (spans instanceof List<?> list) {
                List<Highlight> highlights = new ArrayList<>(list.size());
                for (Object span : list) {
                    highlights.add((Highlight) span);
                }
                return highlights;
            }
            return List.of();
        } catch (IOException e) {
            // The text is in memory: analysis of a String does not do I/O.
            throw new UncheckedIOException("cannot highlight a chunk: " + e.getMessage(), e);
        }
    }

    /**
     * Turns the highlighter's one passage (the whole chunk) into sorted, merged character spans:
     * overlapping CJK bigrams ({@code 知识}, {@code 识库}) become one span ({@code 知识库}).
     */
    private static final class HighlightFormatter extends PassageFormatter {

        @Override
        public Object format(Passage[] passages, String content) {
            List<int[]> spans = new ArrayList<>();
            for (Passage passage : passages) {
                for (int i = 0; i < passage.getNumMatches(); i++) {
                    int start = passage.getMatchStarts()[i];
                    int end = passage.getMatchEnds()[i];
                    if (start < end) {
                        spans.add(new int[] {start, end});
                    }
                }
            }
            spans.sort(Comparator.comparingInt(span -> span[0]));
            List<Highlight> merged = new ArrayList<>();
            int start = -1;
            int end = -1;
            for (int[] span : spans) {
                if (start >= 0 && span[0] <= end) {
                    end = Math.max(end, span[1]);
                } else {
                    if (start >= 0) {
                        merged.add(new Highlight(start, end));
                    }
                    start = span[0];
                    end = span[1];
                }
            }
            if (start >= 0) {
                merged.add(new Highlight(start, end));
            }
            return merged;
        }
    }
}
