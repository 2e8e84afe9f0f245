package io.kb.gateway.limit;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Token-bucket rate limits on the API routes, one bucket per caller and one per tenant, both keyed by the
 * validated token ({@code sub} and the tenant claim). A request takes one token from each; when either is empty
 * the answer is a 429 problem with {@code Retry-After}. Login, the key set, the probes, the metrics and the
 * static pages are not routes and are never limited.
 *
 * @param enabled   whether the limits apply at all
 * @param backend   where the buckets live: {@code memory} (this instance only, the {@code local} profile) or
 *                  {@code redis} (shared by every instance, the {@code cluster} profile)
 * @param user      the bucket of each caller (the gateway's application.yaml sets 120, refilled at 60 a minute)
 * @param tenant    the bucket of each tenant, shared by all its callers (1200, refilled at 600 a minute)
 * @param memory    bounds of the in-memory buckets
 * @param redis     the Redis server of the {@code redis} backend
 */
@Validated
@ConfigurationProperties("kb.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("memory") @NotNull Backend backend,
        @Valid @NotNull Bucket user,
        @Valid @NotNull Bucket tenant,
        @DefaultValue @Valid @NotNull Memory memory,
        @DefaultValue @Valid @NotNull Redis redis) {

    public RateLimitProperties {
        if (enabled && backend == Backend.REDIS
                && (redis == null || redis.uri() == null || redis.uri().toString().isBlank())) {
            throw new IllegalArgumentException("kb.gateway.rate-limit.redis.uri (KB_REDIS_URL under the cluster "
                    + "profile) must be set when kb.gateway.rate-limit.backend is redis");
        }
    }

    /** Where the buckets live. */
    public enum Backend {
        /** A bounded map in this instance: each instance of the gateway limits on its own. */
        MEMORY,
        /** Redis, through Bucket4j's compare-and-swap on Lettuce: one set of buckets for all instances. */
        REDIS
    }

    /**
     * One token bucket: it starts full and refills greedily, token by token, at {@code refillTokens} per
     * {@code refillPeriod}.
     *
     * @param capacity     the most tokens it holds: the burst a caller may send at once
     * @param refillTokens the tokens added per period: the sustained rate
     * @param refillPeriod the period of the refill
     */
    public record Bucket(@Positive long capacity, @Positive long refillTokens, @NotNull Duration refillPeriod) {

        public Bucket {
            if (refillPeriod != null && (refillPeriod.isNegative() || refillPeriod.isZero())) {
                throw new IllegalArgumentException("a rate limit's refill-period must be positive, was " + refillPeriod);
            }
        }

        /** How long an empty bucket takes to fill up again. */
        Duration timeToFill() {
            return refillPeriod.multipliedBy(capacity).dividedBy(refillTokens).plus(refillPeriod);
        }
    }

    /**
     * @param maxBuckets the most buckets kept; past it the least recently used go, which only forgives their
     *                   owners some of their spent tokens
     */
    public record Memory(@DefaultValue("100000") @Min(1) long maxBuckets) {
    }

    /**
     * @param uri     the Redis server, e.g. {@code redis://redis:6379/0} or {@code rediss://...} with TLS
     * @param timeout how long a request waits for its bucket; past it, or when Redis fails, the request is let
     *                through and a warning logged, since an outage of the limiter should not become an outage of
     *                the platform
     */
    public record Redis(URI uri, @DefaultValue("500ms") @NotNull Duration timeout) {
    }
}
