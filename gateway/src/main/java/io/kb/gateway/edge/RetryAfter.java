package io.kb.gateway.edge;

import java.time.Duration;

/** The value of a {@code Retry-After} header for a wait. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * @param wait how long the caller should wait
     * @return whole seconds, rounded up and at least one: {@code Retry-After: 0} would invite an immediate retry
     */
    public static long seconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
