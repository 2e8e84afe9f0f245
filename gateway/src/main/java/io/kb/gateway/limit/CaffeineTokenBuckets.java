package io.kb.gateway.limit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import reactor.core.publisher.Mono;

/**
 * Buckets in this instance's memory: Bucket4j's lock-free local buckets in a Caffeine cache that holds at most
 * {@code maxBuckets} and forgets a bucket once it has been idle long enough to be full again, when forgetting it
 * changes nothing. Each instance of the gateway limits on its own, which is what a single-process stack needs.
 */
public final class CaffeineTokenBuckets implements TokenBuckets {

    private final Cache<String, Bucket> buckets;

    /**
     * @param maxBuckets the most buckets kept (least recently used go first)
     * @param idle       how long an unused bucket is kept; at least the time the slowest bucket takes to fill
     */
    public CaffeineTokenBuckets(long maxBuckets, Duration idle) {
        this.buckets = Caffeine.newBuilder().maximumSize(maxBuckets).expireAfterAccess(idle).build();
    }

    @Override
    public Mono<Take> take(String key, RateLimitProperties.Bucket bucket) {
        // A local bucket's tryConsume is a compare-and-swap loop, never a wait: safe on an event-loop thread.
        ConsumptionProbe probe = buckets.get(key, k -> newBucket(bucket)).tryConsumeAndReturnRemaining(1);
        return Mono.just(Bucket4jTerms.take(probe));
    }

    private static Bucket newBucket(RateLimitProperties.Bucket bucket) {
        return Bucket.builder().addLimit(Bucket4jTerms.bandwidth(bucket)).build();
    }
}
