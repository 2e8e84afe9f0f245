package io.kb.inference.cache;

import java.util.Optional;

/**
 * Answers kept for repeated questions. Adapters: {@code CaffeineAnswerCache} in memory (the default) and
 * {@code RedisAnswerCache}, shared by all replicas in a cluster. A cache that cannot be reached never fails an
 * answer: a lookup throws {@link AnswerCacheException} within a short time, which the pipeline counts and treats as a
 * miss, and a store that fails is dropped.
 */
public interface AnswerCache {

    /**
     * The answer stored under the key, if any.
     *
     * @throws AnswerCacheException when the cache could not be asked in time
     */
    Optional<CachedAnswer> get(AnswerKey key);

    /** Stores the answer under the key, or drops it when the cache cannot take it; never throws. */
    void put(AnswerKey key, CachedAnswer answer);
}
