package io.kb.inference.cache;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The answer cache, {@code kb.inference.cache.*}.
 *
 * @param enabled    whether repeated questions are answered from the cache (default true)
 * @param backend    {@code memory} (default; each replica keeps its own) or {@code redis} (shared by all replicas,
 *                   the cluster profile's choice)
 * @param maxEntries the most answers kept in memory (default 10000)
 * @param ttl        how long an answer is kept (default 1 h); the index version in the key already drops answers
 *                   about changed documents, the time limit bounds what a stale one could cost
 * @param redis      the Redis server of the {@code redis} backend
 */
@ConfigurationProperties("kb.inference.cache")
public record CacheProperties(Boolean enabled, Backend backend, Long maxEntries, Duration ttl, Redis redis) {

    /** Where answers are kept. */
    public enum Backend {
        MEMORY, REDIS
    }

    /** Fills in the defaults; a Redis backend without a server stops the start with the variable to set. */
    public CacheProperties {
        enabled = enabled == null || enabled;
        backend = backend == null ? Backend.MEMORY : backend;
        maxEntries = maxEntries == null ? 10_000 : maxEntries;
        ttl = ttl == null ? Duration.ofHours(1) : ttl;
        redis = redis == null ? new Redis(null, null, null) : redis;
        if (maxEntries < 1 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("kb.inference.cache: max-entries and ttl must be positive");
        }
        if (enabled && backend == Backend.REDIS && redis.uri() == null) {
            throw new IllegalArgumentException("kb.inference.cache.redis.uri (KB_REDIS_URL under the cluster "
                    + "profile) must be set when kb.inference.cache.backend is redis");
        }
    }

    /**
     * The Redis server of the {@code redis} backend. It is not part of readiness: while it cannot be reached, every
     * lookup is a miss (counted as {@code kb.inference.cache{result="error"}}) and answers are computed, only slower.
     *
     * @param uri           e.g. {@code redis://redis:6379/0}, or {@code rediss://} for TLS; a password in it is
     *                      sent to Redis only, never logged
     * @param timeout       the longest a lookup or a store waits for Redis, and for a connection (default 200 ms);
     *                      past it the lookup is a miss
     * @param maxEntrySize  the largest answer stored, as JSON (default 256KB); a larger one is not cached
     */
    public record Redis(String uri, Duration timeout, DataSize maxEntrySize) {

        /** Fills in the defaults and checks the scheme and ranges. */
        public Redis {
            uri = uri == null || uri.isBlank() ? null : uri.strip();
            timeout = timeout == null ? Duration.ofMillis(200) : timeout;
            maxEntrySize = maxEntrySize == null ? DataSize.ofKilobytes(256) : maxEntrySize;
            // A String, not a URI, so that neither Boot's binding report nor this message ever shows a password.
            if (uri != null && server(uri) == null) {
                throw new IllegalArgumentException("kb.inference.cache.redis.uri must be a redis:// or rediss:// "
                        + "URI with a host");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("kb.inference.cache.redis.timeout must be positive, was "
                        + timeout);
            }
            if (maxEntrySize.toBytes() < 1 || maxEntrySize.toBytes() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("kb.inference.cache.redis.max-entry-size must be 1B to 2GB, was "
                        + maxEntrySize);
            }
        }

        /** The scheme, host and port of the URI, without credentials, path or options: what logs may show. */
        public String server() {
            return uri == null ? "none" : server(uri);
        }

        /** Shows the server without its credentials. */
        @Override
        public String toString() {
            return "Redis[uri=" + server() + ", timeout=" + timeout + ", maxEntrySize=" + maxEntrySize + "]";
        }

        private static String server(String uri) {
            URI parsed;
            try {
                parsed = URI.create(uri);
            } catch (IllegalArgumentException e) {
                return null;
            }
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss") || parsed.getHost() == null) {
                return null;
            }
            return scheme + "://" + parsed.getHost() + (parsed.getPort() < 0 ? "" : ":" + parsed.getPort());
        }
    }
}
