package io.kb.retrieval.index.lucene;

import java.io.IOException;

import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.UsageTrackingQueryCachingPolicy;

/**
 * Lucene's usual caching policy, except that a caller's {@link AccessFilterQuery} is cached the first time it is
 * used. Lucene's {@link UsageTrackingQueryCachingPolicy} caches a query only once it has been seen several times
 * among the last 256 queries, and the kNN query builds its filter's weight outside the cache altogether, so left
 * to itself the cache holds at most parts of the filter. A caller repeats the same filter on every search, so
 * caching it at once costs one bit per chunk and saves working it out again on every later search.
 */
final class AccessFilterCachingPolicy implements QueryCachingPolicy {

    private final UsageTrackingQueryCachingPolicy usual = new UsageTrackingQueryCachingPolicy();

    @Override
    public void onUse(Query query) {
        usual.onUse(query);
    }

    @Override
    public boolean shouldCache(Query query) throws IOException {
        return query instanceof AccessFilterQuery || usual.shouldCache(query);
    }
}
