package io.kb.gateway.limit;

import java.time.Duration;

import io.kb.gateway.auth.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Takes a token from the caller's bucket, then from the tenant's, for every request on an API route; the first
 * empty bucket refuses the request with a 429 problem and {@code Retry-After}. Every limited response carries
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds until full) of the
 * tighter of the two buckets, in the style of the IETF draft on rate-limit headers.
 *
 * <p>The keys come from the validated token only; a request without one never reaches a route.
 */
class RateLimitFilter implements GlobalFilter, Ordered {

    /** After the body and concurrency limits, so a request refused by those spends no tokens. */
    static final int ORDER = ConcurrencyLimitFilter.ORDER + 10;

    static final String LIMIT = "RateLimit-Limit";
    static final String REMAINING = "RateLimit-Remaining";
    static final String RESET = "RateLimit-Reset";

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final TokenBuckets buckets;
    private final RateLimitProperties properties;

    RateLimitFilter(TokenBuckets buckets, RateLimitProperties properties) {
        this.buckets = buckets;
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Caller caller = Caller.of(exchange);
        if (caller == null || caller.tenant() == null) {
            return chain.filter(exchange);
        }
        return take("user", "user:" + caller.tenant() + ":" + caller.user(), properties.user())
                .flatMap(user -> take("tenant", "tenant:" + caller.tenant(), properties.tenant())
                        .map(tenant -> tighter(user, tenant)))
                .flatMap(verdict -> {
                    HttpHeaders headers = verdict.headers();
                    exchange.getResponse().beforeCommit(() -> {
                        // The service behind has no say in the gateway's limits.
                        exchange.getResponse().getHeaders().putAll(headers);
                        return Mono.empty();
                    });
                    return chain.filter(exchange);
                });
    }

    /** One bucket's verdict; a refusal ends the request as a 429 problem. */
    private Mono<Verdict> take(String scope, String key, RateLimitProperties.Bucket bucket) {
        return buckets.take(key, bucket)
                .map(take -> new Verdict(bucket, take))
                .onErrorResume(error -> {
                    log.warn("rate limit store failed; letting the request through: {}", error.toString());
                    return Mono.just(Verdict.UNKNOWN);
                })
                .flatMap(verdict -> verdict.take().granted() ? Mono.just(verdict)
                        : Mono.error(LimitProblems.rateLimited(scope, verdict.take().retryAfter(), verdict.headers())));
    }

    private static Verdict tighter(Verdict user, Verdict tenant) {
        if (user == Verdict.UNKNOWN) {
            return tenant;
        }
        if (tenant == Verdict.UNKNOWN) {
            return user;
        }
        return tenant.take().remaining() < user.take().remaining() ? tenant : user;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** A bucket and what one take from it left. */
    private record Verdict(RateLimitProperties.Bucket bucket, TokenBuckets.Take take) {

        /** The store failed: the request passes and no headers are claimed. */
        static final Verdict UNKNOWN = new Verdict(null, new TokenBuckets.Take(true, 0, Duration.ZERO, Duration.ZERO));

        HttpHeaders headers() {
            HttpHeaders headers = new HttpHeaders();
            if (bucket != null) {
                headers.set(LIMIT, Long.toString(bucket.capacity()));
                headers.set(REMAINING, Long.toString(take.remaining()));
                headers.set(RESET, Long.toString((take.untilFull().toNanos() + 999_999_999L) / 1_000_000_000L));
            }
            return headers;
        }
    }
}
