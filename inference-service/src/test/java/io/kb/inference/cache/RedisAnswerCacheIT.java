package io.kb.inference.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kb.inference.context.Source;
import io.kb.inference.generate.PromptMessage;
import io.kb.service.redis.LocalRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

/**
 * {@link RedisAnswerCache} against a real {@code redis-server} ({@link LocalRedisServer}) on a free loopback port,
 * looked at also through a client of its own. Skipped, with the reason, where the binary is missing.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class RedisAnswerCacheIT {

    private static final String QUESTION = "How many days of paid leave does an employee get?";
    private static final List<String> PRINCIPALS = List.of("user:dave", "group:staff");

    static LocalRedisServer redis;
    static RedisClient inspector;
    static StatefulRedisConnection<String, String> inspection;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private RedisAnswerCache cache;

    @BeforeAll
    static void startRedis() throws Exception {
        LocalRedisServer.assumeInstalled("the Redis answer cache");
        redis = LocalRedisServer.start();
        inspector = RedisClient.create(redis.uri());
        inspection = inspector.connect();
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (inspector != null) {
            inspector.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void emptyRedis() throws Exception {
        if (!inspection.isOpen()) {
            inspection = inspector.connect();
        }
        inspection.sync().flushall();
    }

    @AfterEach
    void closeCache() {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void servesWhatWasStoredWithEverythingTheResponseShows() {
        cache = cache(Duration.ofMinutes(5), DataSize.ofKilobytes(256));
        CachedAnswer answer = new CachedAnswer("Every employee gets 25 days of paid leave per year [1]. 员工每年享有十五天年假[2]。",
                List.of(new Source(1, "leave.md", "Leave policy", "leave-0", "Every employee gets 25 days of paid leave "
                                + "per year.", 2, 120, 171, 0.91),
                        new Source(2, "leave-zh.md", null, "leave-zh-3", "员工每年享有十五天年假。", null, 0, 12, 0.5)),
                false, "extractive");

        cache.put(key("acme", PRINCIPALS, "v1"), answer);

        assertThat(cache.get(key("acme", PRINCIPALS, "v1"))).contains(answer);
        assertThat(written("stored")).isEqualTo(1);
    }

    @Test
    void keepsARefusalAsARefusal() {
        cache = cache(Duration.ofMinutes(5), DataSize.ofKilobytes(256));
        CachedAnswer refusal = new CachedAnswer("I could not find the answer in the documents you have access to.",
                List.of(), true, "none");

        cache.put(key("acme", PRINCIPALS, "v1"), refusal);

        assertThat(cache.get(key("acme", PRINCIPALS, "v1"))).contains(refusal);
    }

    @Test
    void anotherTenantOtherPrincipalsOrAnotherIndexVersionMiss() {
        cache = cache(Duration.ofMinutes(5), DataSize.ofKilobytes(256));
        cache.put(key("acme", PRINCIPALS, "v1"), answer("25 days [1]."));

        assertThat(cache.get(key("globex", PRINCIPALS, "v1"))).isEmpty();
        assertThat(cache.get(key("acme", List.of("user:erin", "group:staff"), "v1"))).isEmpty();
        assertThat(cache.get(key("acme", List.of("user:dave", "group:staff", "group:hr"), "v1"))).isEmpty();
        assertThat(cache.get(key("acme", PRINCIPALS, "v2"))).isEmpty();
        assertThat(cache.get(key("acme", PRINCIPALS, "v1"))).isPresent();
    }

    @Test
    void keysAreNamespacedHashesWithTheTtlAsExpiry() {
        cache = cache(Duration.ofMinutes(5), DataSize.ofKilobytes(256));
        cache.put(key("acme", PRINCIPALS, "v1"), answer("25 days [1]."));
        cache.get(key("acme", PRINCIPALS, "v1"));

        List<String> keys = inspection.sync().keys("*");
        assertThat(keys).hasSize(1);
        String stored = keys.getFirst();
        assertThat(stored).matches("kb:inference:answer:v1:[0-9a-f]{64}")
                .doesNotContainIgnoringCase("paid leave").doesNotContain("acme", "dave", "staff");
        assertThat(inspection.sync().pttl(stored)).isBetween(Duration.ofMinutes(4).toMillis(),
                Duration.ofMinutes(5).toMillis());
    }

    @Test
    void anAnswerIsGoneOnceItsTtlHasPassed() throws InterruptedException {
        cache = cache(Duration.ofMillis(300), DataSize.ofKilobytes(256));
        cache.put(key("acme", PRINCIPALS, "v1"), answer("25 days [1]."));
        assertThat(cache.get(key("acme", PRINCIPALS, "v1"))).isPresent();

        Thread.sleep(600);

        assertThat(cache.get(key("acme", PRINCIPALS, "v1"))).isEmpty();
        assertThat(inspection.sync().dbsize()).isZero();
    }

    @Test
    void anAnswerLargerThanTheLimitIsNotStored() {
        cache = cache(Duration.ofMinutes(5), DataSize.ofBytes(1024));
        cache.put(key("acme", PRINCIPALS, "v1"), answer("x".repeat(2000)));
        cache.put(key("acme", PRINCIPALS, "v2"), answer("25 days [1]."));

        assertThat(cache.get(key("acme", PRINCIPALS, "v1"))).isEmpty();
        assertThat(cache.get(key("acme", PRINCIPALS, "v2"))).isPresent();
        assertThat(written("too_large")).isEqualTo(1);
        assertThat(inspection.sync().dbsize()).isEqualTo(1);
    }

    @Test
    void anEntryItCannotReadIsAMissNotAFailure() {
        cache = cache(Duration.ofMinutes(5), DataSize.ofKilobytes(256));
        AnswerKey key = key("acme", PRINCIPALS, "v1");
        inspection.sync().set(RedisAnswerCache.PREFIX + key.digest(), "{\"answer\":\"no citations field\"}");

        assertThat(cache.get(key)).isEmpty();
    }

    @Test
    void whileRedisIsDownLookupsFailFastAndStoresAreDroppedThenItRecovers() throws Exception {
        cache = cache(Duration.ofMinutes(5), DataSize.ofKilobytes(256));
        cache.put(key("acme", PRINCIPALS, "v1"), answer("25 days [1]."));
        assertThat(cache.get(key("acme", PRINCIPALS, "v1"))).isPresent();

        redis.stop();
        try {
            assertThatThrownBy(() -> cache.get(key("acme", PRINCIPALS, "v1")))
                    .isInstanceOf(AnswerCacheException.class);
            cache.put(key("acme", PRINCIPALS, "v2"), answer("stored while down"));
            awaitWritten("error", 1);
        } finally {
            redis.startAgain();
        }

        // The client reconnects by itself; the server came back empty.
        Optional<CachedAnswer> afterRestart = awaitLookup(key("acme", PRINCIPALS, "v1"));
        assertThat(afterRestart).isEmpty();
        cache.put(key("acme", PRINCIPALS, "v3"), answer("stored after the outage"));
        assertThat(cache.get(key("acme", PRINCIPALS, "v3"))).contains(answer("stored after the outage"));
    }

    @Test
    void aServerDownAtStartIsUsedOnceItIsUp() throws Exception {
        redis.stop();
        try {
            cache = cache(Duration.ofMinutes(5), DataSize.ofKilobytes(256));
            assertThatThrownBy(() -> cache.get(key("acme", PRINCIPALS, "v1")))
                    .isInstanceOf(AnswerCacheException.class);
        } finally {
            redis.startAgain();
        }

        // A new connection is tried at most every few seconds when the first one never came up.
        awaitLookup(key("acme", PRINCIPALS, "v1"));
        cache.put(key("acme", PRINCIPALS, "v1"), answer("25 days [1]."));
        assertThat(cache.get(key("acme", PRINCIPALS, "v1"))).isPresent();
    }

    @Test
    void usesThePasswordOfTheUriAndNeverLogsIt(CapturedOutput output) throws Exception {
        String secret = "s3cret-Pa55word";
        try (LocalRedisServer guarded = LocalRedisServer.start("--requirepass", secret)) {
            cache = new RedisAnswerCache(properties("redis://:" + secret + "@127.0.0.1:" + guarded.port()), meters);
            cache.put(key("acme", PRINCIPALS, "v1"), answer("25 days [1]."));
            assertThat(cache.get(key("acme", PRINCIPALS, "v1"))).isPresent();
            cache.close();

            String wrong = "wr0ng-Pa55word";
            cache = new RedisAnswerCache(properties("redis://:" + wrong + "@127.0.0.1:" + guarded.port()), meters);
            assertThatThrownBy(() -> cache.get(key("acme", PRINCIPALS, "v1")))
                    .isInstanceOf(AnswerCacheException.class)
                    .satisfies(e -> {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t)).doesNotContain(wrong);
                        }
                    });

            assertThat(output.getAll()).contains("answer cache: Redis at redis://127.0.0.1:" + guarded.port())
                    .doesNotContain(secret).doesNotContain(wrong);
            assertThat(cache.toString()).doesNotContain(wrong);
        }
    }

    private CacheProperties properties(String uri) {
        return new CacheProperties(true, CacheProperties.Backend.REDIS, null, Duration.ofMinutes(5),
                new CacheProperties.Redis(uri, Duration.ofMillis(500), null));
    }

    private RedisAnswerCache cache(Duration ttl, DataSize maxEntrySize) {
        return new RedisAnswerCache(new CacheProperties(true, CacheProperties.Backend.REDIS, null, ttl,
                new CacheProperties.Redis(redis.uri(), Duration.ofMillis(500), maxEntrySize)), meters);
    }

    /** Looks up until Redis answers again, at most 20 s. */
    private Optional<CachedAnswer> awaitLookup(AnswerKey key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return cache.get(key);
            } catch (AnswerCacheException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    private void awaitWritten(String result, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (written(result) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(written(result)).isEqualTo(expected);
    }

    private double written(String result) {
        Counter c = meters.find("kb.inference.cache.writes").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    private static AnswerKey key(String tenant, List<String> principals, String indexVersion) {
        return AnswerKey.of(QUESTION, List.of(PromptMessage.user("Hi")), tenant, principals, indexVersion);
    }

    private static CachedAnswer answer(String text) {
        return new CachedAnswer(text, List.of(new Source(1, "leave.md", "Leave policy", "leave-0", "text", 1, 0, 4,
                0.9)), false, "extractive");
    }
}
