package io.kb.inference.cache;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The answer cache, {@code kb.inference.cache.*}.
 *
 * @param enabled    whether repeated questions are answered from the cache (default true)
 * @param backend    {@code memory} (default) or {@code redis} (the cluster profile's choice; Spring's
 *                   {@code spring.data.redis.*} settings say where)
 * @param maxEntries the most answers kept in memory (default 10000)
 * @param ttl        how long an answer is kept (default 1 h); the index version in the key already drops answers
 *                   about changed documents, the time limit bounds what a stale one could cost
 */
@ConfigurationProperties("kb.inference.cache")
public record CacheProperties(Boolean enabled, Backend backend, Long maxEntries, Duration ttl) {

    /** Where answers are kept. */
    public enum Backend {
        MEMORY, REDIS
    }

    /** Fills in the defaults. */
    public CacheProperties {
        enabled = enabled == null || enabled;
        backend = backend == null ? Backend.MEMORY : backend;
        maxEntries = maxEntries == null ? 10_000 : maxEntries;
        ttl = ttl == null ? Duration.ofHours(1) : ttl;
        if (maxEntries < 1 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("kb.inference.cache: max-entries and ttl must be positive");
        }
    }
}
