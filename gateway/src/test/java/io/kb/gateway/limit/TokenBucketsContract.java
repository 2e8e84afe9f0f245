package io.kb.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** What every {@link TokenBuckets} adapter does; each adapter's test extends this. */
abstract class TokenBucketsContract {

    static final RateLimitProperties.Bucket THREE_PER_HOUR = new RateLimitProperties.Bucket(3, 3, Duration.ofHours(1));

    /** The adapter under test. */
    abstract TokenBuckets buckets();

    @Test
    void grantsTheCapacityThenRefusesWithTheWaitForTheNextToken() {
        String key = key();
        for (long remaining = 2; remaining >= 0; remaining--) {
            TokenBuckets.Take take = buckets().take(key, THREE_PER_HOUR).block();
            assertThat(take.granted()).isTrue();
            assertThat(take.remaining()).isEqualTo(remaining);
        }
        TokenBuckets.Take refused = buckets().take(key, THREE_PER_HOUR).block();
        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAfter()).isGreaterThan(Duration.ofMinutes(19)).isLessThanOrEqualTo(Duration.ofMinutes(20));
        assertThat(refused.untilFull()).isGreaterThan(Duration.ofMinutes(59));
    }

    @Test
    void keysHaveBucketsOfTheirOwn() {
        String spent = key();
        for (int i = 0; i < 3; i++) {
            buckets().take(spent, THREE_PER_HOUR).block();
        }
        assertThat(buckets().take(spent, THREE_PER_HOUR).block().granted()).isFalse();
        assertThat(buckets().take(key(), THREE_PER_HOUR).block().granted()).isTrue();
    }

    @Test
    void refillsOverTime() throws InterruptedException {
        RateLimitProperties.Bucket fast = new RateLimitProperties.Bucket(1, 1, Duration.ofSeconds(1));
        String key = key();
        assertThat(buckets().take(key, fast).block().granted()).isTrue();
        assertThat(buckets().take(key, fast).block().granted()).isFalse();
        Thread.sleep(1100);
        assertThat(buckets().take(key, fast).block().granted()).isTrue();
    }

    private static String key() {
        return "user:contract:" + UUID.randomUUID();
    }
}
