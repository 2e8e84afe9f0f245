package io.kb.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CaffeineTokenBucketsTest extends TokenBucketsContract {

    private final CaffeineTokenBuckets buckets = new CaffeineTokenBuckets(1000, Duration.ofHours(2));

    @Override
    TokenBuckets buckets() {
        return buckets;
    }

    @Test
    void anIdleBucketIsForgottenOnlyOnceItWouldBeFullAgain() throws InterruptedException {
        CaffeineTokenBuckets shortLived = new CaffeineTokenBuckets(1000, Duration.ofMillis(100));
        for (int i = 0; i < 3; i++) {
            shortLived.take("k", THREE_PER_HOUR).block();
        }
        assertThat(shortLived.take("k", THREE_PER_HOUR).block().granted()).isFalse();
        Thread.sleep(200);
        assertThat(shortLived.take("k", THREE_PER_HOUR).block().granted()).as("a fresh bucket").isTrue();
    }
}
