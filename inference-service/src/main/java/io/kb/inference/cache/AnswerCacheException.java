package io.kb.inference.cache;

/**
 * A lookup the cache could not complete in time (its server is unreachable, slow, or answered with an error). The
 * pipeline counts it and answers as on a miss; it never reaches the asker.
 */
public class AnswerCacheException extends RuntimeException {

    public AnswerCacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
