package io.kb.retrieval.index.lucene;

import java.io.IOException;
import java.util.Objects;

import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

/**
 * What one caller may read: the chunks of its tenant whose ACL names one of its principals, as one query that
 * Lucene's query cache can hold whole. Every search of the caller repeats it, and at a million chunks working it
 * out again (three postings lists intersected over most of the index) costs more than the HNSW search it
 * filters, so {@link AccessFilterCachingPolicy} caches it on first use, per segment.
 *
 * <p>The wrapper is what makes that possible: the kNN query wraps its filter in a {@code BooleanQuery} of its own
 * and builds that query's weight outside the cache, so a plain {@code BooleanQuery} filter is at best cached clause
 * by clause, and Lucene's rewrite may merge its clauses into the enclosing query. This class is one clause that
 * the rewrite leaves alone, and it is equal to another exactly when the wrapped filters are equal, so two searches
 * of the same caller share one cache entry and two callers with different principals never do.
 *
 * <p>A cached entry never widens access: the cache keys entries by segment, a segment's documents never change,
 * and a document whose ACL changes is deleted and written again in a new segment, where the filter is worked out
 * afresh; deletions are applied on top of the cached set at every search.
 */
final class AccessFilterQuery extends Query {

    private final Query filter;

    /**
     * @param filter the tenant, kind and ACL clauses; it must select, not score
     */
    AccessFilterQuery(Query filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Query rewritten = filter.rewrite(searcher);
        if (rewritten instanceof MatchNoDocsQuery) {
            return rewritten;
        }
        return rewritten == filter ? this : new AccessFilterQuery(rewritten);
    }

    /**
     * The wrapped filter's weight under this query's name, so that the cache and its policy see this query. The
     * wrapped query's own weight is made without the cache: caching it as well would hold the same set twice.
     */
    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight inner = searcher.rewrite(filter).createWeight(searcher, scoreMode, boost);
        return new FilterWeight(this, inner) {
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        filter.visit(visitor.getSubVisitor(Occur.FILTER, this));
    }

    @Override
    public String toString(String field) {
        return "access(" + filter.toString(field) + ")";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && filter.equals(((AccessFilterQuery) other).filter);
    }

    @Override
    public int hashCode() {
        return 31 * classHash() + filter.hashCode();
    }
}
