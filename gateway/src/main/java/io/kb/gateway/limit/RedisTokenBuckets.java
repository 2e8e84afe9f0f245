package io.kb.gateway.limit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import reactor.core.publisher.Mono;

/**
 * Buckets in Redis, shared by every instance of the gateway: Bucket4j's compare-and-swap protocol over one Lettuce
 * connection, without blocking a thread. A key expires once its bucket would be full again, so Redis holds only
 * the buckets of recent callers. Keys are prefixed with {@value #PREFIX}.
 */
public final class RedisTokenBuckets implements TokenBuckets {

    static final String PREFIX = "kb:gateway:rate-limit:";

    private final AsyncProxyManager<String> buckets;
    private final Duration timeout;

    /**
     * @param connection a connection with {@code byte[]} keys and values, owned by the caller
     * @param timeout    how long one take may wait for Redis before it fails
     */
    public RedisTokenBuckets(StatefulRedisConnection<byte[], byte[]> connection, Duration timeout) {
        this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .build()
                .asAsync()
                .withMapper((String key) -> (PREFIX + key).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    @Override
    public Mono<Take> take(String key, RateLimitProperties.Bucket bucket) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(Bucket4jTerms.bandwidth(bucket))
                .build();
        return Mono.fromFuture(() -> buckets.builder()
                        .build(key, () -> CompletableFuture.completedFuture(configuration))
                        .tryConsumeAndReturnRemaining(1))
                .map(Bucket4jTerms::take)
                .timeout(timeout);
    }
}
