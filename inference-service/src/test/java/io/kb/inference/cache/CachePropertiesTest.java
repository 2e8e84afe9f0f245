package io.kb.inference.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** {@link CacheProperties} as Boot binds it: defaults, the Redis backend's required server, and no password shown. */
class CachePropertiesTest {

    @Test
    void defaultsToTheMemoryBackendWithShortRedisTimeouts() {
        CacheProperties properties = bind(Map.of());

        assertThat(properties.enabled()).isTrue();
        assertThat(properties.backend()).isEqualTo(CacheProperties.Backend.MEMORY);
        assertThat(properties.ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(properties.redis().uri()).isNull();
        assertThat(properties.redis().timeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(properties.redis().maxEntrySize()).isEqualTo(DataSize.ofKilobytes(256));
    }

    @Test
    void bindsTheRedisBackend() {
        CacheProperties properties = bind(Map.of("kb.inference.cache.backend", "redis",
                "kb.inference.cache.redis.uri", "rediss://:pw@cache.internal:6380/2",
                "kb.inference.cache.redis.timeout", "150ms",
                "kb.inference.cache.redis.max-entry-size", "64KB"));

        assertThat(properties.backend()).isEqualTo(CacheProperties.Backend.REDIS);
        assertThat(properties.redis().server()).isEqualTo("rediss://cache.internal:6380");
        assertThat(properties.redis().timeout()).isEqualTo(Duration.ofMillis(150));
        assertThat(properties.redis().maxEntrySize()).isEqualTo(DataSize.ofKilobytes(64));
    }

    @Test
    void theRedisBackendWithoutAServerStopsTheStartNamingTheVariable() {
        // What the cluster profile binds when KB_REDIS_URL is not set.
        Throwable failure = catchThrowable(() -> bind(Map.of("kb.inference.cache.backend", "redis",
                "kb.inference.cache.redis.uri", "")));

        assertThat(messages(failure)).contains("kb.inference.cache.redis.uri").contains("KB_REDIS_URL");
    }

    @Test
    void aDisabledCacheNeedsNoServer() {
        CacheProperties properties = bind(Map.of("kb.inference.cache.enabled", "false",
                "kb.inference.cache.backend", "redis"));

        assertThat(properties.enabled()).isFalse();
    }

    @Test
    void aMalformedUriIsRefusedWithoutShowingItsPassword() {
        String secret = "hunter2-secret";
        for (String uri : new String[] {"http://:" + secret + "@cache:6379", "redis://:" + secret + "@/0",
                "redis://:" + secret + "@cache:6379/ bad"}) {
            Throwable failure = catchThrowable(() -> bind(Map.of("kb.inference.cache.backend", "redis",
                    "kb.inference.cache.redis.uri", uri)));

            assertThat(messages(failure)).as(uri).contains("kb.inference.cache.redis.uri").doesNotContain(secret);
        }
    }

    @Test
    void showsTheServerWithoutItsCredentials() {
        CacheProperties.Redis redis = new CacheProperties.Redis("redis://default:hunter2-secret@cache:6379/0", null,
                null);

        assertThat(redis.toString()).contains("redis://cache:6379").doesNotContain("hunter2-secret");
        assertThat(redis.server()).isEqualTo("redis://cache:6379");
    }

    @Test
    void refusesATimeoutOrEntrySizeThatCannotWork() {
        assertThat(catchThrowable(() -> bind(Map.of("kb.inference.cache.redis.timeout", "0s"))))
                .isNotNull();
        assertThat(catchThrowable(() -> bind(Map.of("kb.inference.cache.redis.max-entry-size", "0B"))))
                .isNotNull();
    }

    private static CacheProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("kb.inference.cache", CacheProperties.class);
    }

    private static String messages(Throwable failure) {
        assertThat(failure).as("binding fails").isNotNull();
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
