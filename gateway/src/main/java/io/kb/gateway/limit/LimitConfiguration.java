package io.kb.gateway.limit;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The edge's limits on the API routes: body size, requests in flight, and rate limits by caller and tenant. */
@Configuration(proxyBeanMethods = false)
class LimitConfiguration {

    @Bean
    RequestBodyLimitFilter requestBodyLimitFilter(RequestBodyProperties properties) {
        return new RequestBodyLimitFilter(properties);
    }

    @Bean
    ConcurrencyLimitFilter concurrencyLimitFilter(ConcurrencyLimitProperties properties, MeterRegistry meters) {
        return new ConcurrencyLimitFilter(properties, meters);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "kb.gateway.rate-limit.enabled", matchIfMissing = true)
    RateLimitFilter rateLimitFilter(TokenBuckets buckets, RateLimitProperties properties) {
        return new RateLimitFilter(buckets, properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "kb.gateway.rate-limit.enabled", matchIfMissing = true)
    @ConditionalOnProperty(name = "kb.gateway.rate-limit.backend", havingValue = "memory", matchIfMissing = true)
    static class InMemory {

        @Bean
        TokenBuckets caffeineTokenBuckets(RateLimitProperties properties) {
            Duration user = properties.user().timeToFill();
            Duration tenant = properties.tenant().timeToFill();
            return new CaffeineTokenBuckets(properties.memory().maxBuckets(), user.compareTo(tenant) > 0 ? user : tenant);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "kb.gateway.rate-limit.enabled", matchIfMissing = true)
    @ConditionalOnProperty(name = "kb.gateway.rate-limit.backend", havingValue = "redis")
    static class InRedis {

        @Bean
        RedisConnection rateLimitRedisConnection(RateLimitProperties properties) {
            return new RedisConnection(RedisClient.create(RedisURI.create(properties.redis().uri())));
        }

        @Bean
        TokenBuckets redisTokenBuckets(RedisConnection redis, RateLimitProperties properties) {
            return new RedisTokenBuckets(redis.connection(), properties.redis().timeout());
        }
    }

    /**
     * The rate limiter's own client and connection, closed with the application. Connecting at start-up means a
     * wrong URI stops the start instead of letting every request through unlimited.
     */
    static final class RedisConnection implements DisposableBean {

        private final RedisClient client;
        private final StatefulRedisConnection<byte[], byte[]> connection;

        RedisConnection(RedisClient client) {
            this.client = client;
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
        }

        StatefulRedisConnection<byte[], byte[]> connection() {
            return connection;
        }

        @Override
        public void destroy() {
            connection.close();
            client.shutdown();
        }
    }
}
