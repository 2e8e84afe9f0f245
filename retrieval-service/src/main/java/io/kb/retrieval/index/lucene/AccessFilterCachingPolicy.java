package io.kb.retrieval.index.lucene;

import java.io.IOException;

import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.UsageTrackingQueryCachingPolicy;

/**
 * Lucene's usual caching policy, except that the two filters every dense search repeats are cached the first time
 * they are used: the caller's {@link AccessFilterQuery}, and the {@link FieldExistsQuery} on the vector field that
 * Lucene's kNN query adds to every filter. Lucene's {@link UsageTrackingQueryCachingPolicy} caches a query only
 * once it has been seen several times among the last 256 queries, and never a {@code FieldExistsQuery}, which it
 * takes to be cheap; at a million chunks, though, a kNN search spent two thirds of its CPU intersecting the
 * access filter's postings with the vector field's document list, to build the set of chunks it may return
 * (measured with JFR, docs/index-scale.md). Held as bit sets, the intersection is a scan of two of them.
 */
final class AccessFilterCachingPolicy implements QueryCachingPolicy {

    private final UsageTrackingQueryCachingPolicy usual = new UsageTrackingQueryCachingPolicy();

    @Override
    public void onUse(Query query) {
        usual.onUse(query);
    }

    @Override
    public boolean shouldCache(Query query) throws IOException {
        return query instanceof AccessFilterQuery || query instanceof FieldExistsQuery || usual.shouldCache(query);
    }
}
