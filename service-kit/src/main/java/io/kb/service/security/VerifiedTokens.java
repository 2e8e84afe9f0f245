package io.kb.service.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Bearer tokens that a decoder has already accepted, so that the same caller's next requests skip parsing the
 * token and verifying its RSA signature: at the gateway those two steps were the largest single cost of a
 * request. The services and the gateway put it in front of their decoders; only what a decoder accepted is
 * remembered, so a refused token goes to the decoder every time.
 *
 * <p>An entry lives at most {@code ttl}, and never past the token's own {@code exp}: a remembered token is not
 * accepted once it has expired (without the decoder's clock-skew allowance). The {@code ttl} bounds how long a
 * token keeps working after its signing key is withdrawn from the issuer's key set. Entries are keyed by the
 * whole token, so two tokens never share one.
 */
public final class VerifiedTokens {

    private final Cache<String, Jwt> accepted;
    private final Clock clock;

    private VerifiedTokens(Cache<String, Jwt> accepted, Clock clock) {
        this.accepted = accepted;
        this.clock = clock;
    }

    /**
     * @param ttl     how long a token is remembered at most; positive
     * @param maxSize how many tokens are remembered at most; positive
     */
    public static VerifiedTokens create(Duration ttl, long maxSize) {
        return create(ttl, maxSize, Ticker.systemTicker(), Clock.systemUTC());
    }

    /** Remembered tokens whose time runs on the given ticker and clock (tests move them). */
    public static VerifiedTokens create(Duration ttl, long maxSize, Ticker ticker, Clock clock) {
        if (ttl.isNegative() || ttl.isZero() || maxSize <= 0) {
            throw new IllegalArgumentException("a token cache needs a positive ttl and size, was " + ttl + " and "
                    + maxSize);
        }
        long ttlNanos = ttl.toNanos();
        Cache<String, Jwt> accepted = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(ticker)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> lifetime(jwt, ttlNanos, clock)))
                .recordStats()
                .build();
        return new VerifiedTokens(accepted, clock);
    }

    /** The token as accepted before and not yet expired, or null. */
    public Jwt find(String token) {
        Jwt remembered = accepted.getIfPresent(token);
        return remembered != null && isLive(remembered) ? remembered : null;
    }

    /** Remembers a token that the decoder has just accepted; one without an expiry is not remembered. */
    public void remember(String token, Jwt jwt) {
        if (isLive(jwt)) {
            accepted.put(token, jwt);
        }
    }

    /** A decoder that answers from these tokens where it can and asks {@code decoder} otherwise. */
    public JwtDecoder inFrontOf(JwtDecoder decoder) {
        return token -> {
            Jwt known = find(token);
            if (known != null) {
                return known;
            }
            Jwt verified = decoder.decode(token);
            remember(token, verified);
            return verified;
        };
    }

    /** Tokens remembered now (approximate). */
    public long size() {
        return accepted.estimatedSize();
    }

    /** Hits, misses, size and evictions as the cache meters of Micrometer, under the given name. */
    public void monitor(MeterRegistry meters, String name) {
        CaffeineCacheMetrics.monitor(meters, accepted, name);
    }

    private boolean isLive(Jwt jwt) {
        Instant expires = jwt.getExpiresAt();
        return expires != null && clock.instant().isBefore(expires);
    }

    private static Duration lifetime(Jwt jwt, long ttlNanos, Clock clock) {
        Instant expires = jwt.getExpiresAt();
        if (expires == null) {
            return Duration.ZERO;
        }
        long untilExpiry = Duration.between(clock.instant(), expires).toNanos();
        return Duration.ofNanos(Math.max(0, Math.min(ttlNanos, untilExpiry)));
    }
}
