package io.kb.gateway.limit;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.ConsumptionProbe;

/** The translation between the gateway's bucket settings and outcomes and Bucket4j's, for both adapters. */
final class Bucket4jTerms {

    private Bucket4jTerms() {
    }

    /** A bucket of the settings as Bucket4j's greedy-refill bandwidth. */
    static Bandwidth bandwidth(RateLimitProperties.Bucket bucket) {
        return Bandwidth.builder()
                .capacity(bucket.capacity())
                .refillGreedy(bucket.refillTokens(), bucket.refillPeriod())
                .build();
    }

    /** Bucket4j's answer to one consumption as a {@link TokenBuckets.Take}. */
    static TokenBuckets.Take take(ConsumptionProbe probe) {
        return new TokenBuckets.Take(probe.isConsumed(), probe.getRemainingTokens(),
                Duration.ofNanos(probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill()),
                Duration.ofNanos(probe.getNanosToWaitForReset()));
    }
}
