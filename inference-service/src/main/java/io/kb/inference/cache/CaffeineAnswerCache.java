package io.kb.inference.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;

/** The in-memory answer cache: bounded by entries, each kept for a limited time. */
public final class CaffeineAnswerCache implements AnswerCache {

    private final Cache<String, CachedAnswer> cache;

    public CaffeineAnswerCache(long maxEntries, Duration ttl) {
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl).build();
    }

    @Override
    public Optional<CachedAnswer> get(AnswerKey key) {
        return Optional.ofNullable(cache.getIfPresent(key.digest()));
    }

    @Override
    public void put(AnswerKey key, CachedAnswer answer) {
        cache.put(key.digest(), answer);
    }
}
