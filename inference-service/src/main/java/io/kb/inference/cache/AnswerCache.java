package io.kb.inference.cache;

import java.util.Optional;

/**
 * Answers kept for repeated questions. Adapters: {@code CaffeineAnswerCache} in memory (the default) and
 * {@code RedisAnswerCache}, shared by all replicas in a cluster. A cache that cannot be reached is a miss, never an
 * error: the answer is then computed.
 */
public interface AnswerCache {

    /** The answer stored under the key, if any. */
    Optional<CachedAnswer> get(AnswerKey key);

    /** Stores the answer under the key. */
    void put(AnswerKey key, CachedAnswer answer);
}
