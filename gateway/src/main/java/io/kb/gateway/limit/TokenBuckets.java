package io.kb.gateway.limit;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Token buckets by key, the store behind the gateway's rate limits. Implementations: {@link CaffeineTokenBuckets}
 * (in this instance's memory, bounded) and {@link RedisTokenBuckets} (shared by all instances).
 */
public interface TokenBuckets {

    /**
     * Takes one token from the bucket named {@code key}, creating it full when it does not exist yet.
     *
     * @param key    the bucket's name, e.g. {@code user:aurora:alice}
     * @param bucket the bucket's capacity and refill; the same key always comes with the same bucket
     * @return whether the token was granted and what is left
     */
    Mono<Take> take(String key, RateLimitProperties.Bucket bucket);

    /**
     * The outcome of one {@link #take}.
     *
     * @param granted    whether a token was taken
     * @param remaining  tokens left after this take
     * @param retryAfter when a refused take would succeed; zero when granted
     * @param untilFull  when the bucket will be full again
     */
    record Take(boolean granted, long remaining, Duration retryAfter, Duration untilFull) {
    }
}
