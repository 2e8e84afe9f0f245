package io.kb.inference.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.inference.cache.AnswerCache;
import io.kb.inference.cache.RedisAnswerCache;
import io.kb.service.redis.LocalRedisServer;
import io.kb.service.security.TestIssuer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service with {@code kb.inference.cache.backend=redis}, as the cluster profile runs it, against a real
 * {@code redis-server}: repeated questions are served from Redis and marked as cache hits, and while Redis is away
 * the answers go on, computed, with every failed lookup counted. Skipped, with the reason, without the binary.
 */
@Timeout(90)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // closed with the class: its client would otherwise keep calling the server stopped after it
class CachedAnswersOnRedisIT {

    private static final String QUESTION = "How many days of paid leave does an employee get?";

    static final LocalRedisServer redis = startRedisIfInstalled();
    static final TestIssuer issuer = startIssuer();
    static final RetrievalStub retrieval = RetrievalStub.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", issuer::jwkSetUri);
        registry.add("kb.security.issuer", () -> TestIssuer.ISSUER);
        registry.add("kb.inference.retrieval-url", retrieval::url);
        registry.add("kb.inference.cache.backend", () -> "redis");
        // A lambda, read only when the context starts: without the binary there is no server, and no context.
        registry.add("kb.inference.cache.redis.uri", () -> redis.uri());
    }

    @BeforeAll
    static void requireRedis() {
        LocalRedisServer.assumeInstalled("answering from the Redis answer cache");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        retrieval.close();
        issuer.close();
        if (redis != null) {
            redis.close();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    AnswerCache cache;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String dave = issuer.sign(TestIssuer.claims("dave", "acme", List.of()).build());

    @BeforeEach
    void freshIndex() {
        retrieval.reset(UUID.randomUUID().toString());
    }

    @Test
    void aRepeatedQuestionIsServedFromRedisAndMarkedAsAHit() throws Exception {
        assertThat(cache).isInstanceOf(RedisAnswerCache.class);
        double hits = lookups("hit");

        JsonNode first = answer(QUESTION);
        JsonNode second = answer(QUESTION.toUpperCase());

        assertThat(first.path("cached").asBoolean()).isFalse();
        assertThat(second.path("cached").asBoolean()).isTrue();
        assertThat(second.path("reason").asString()).isEqualTo("cache_hit");
        assertThat(second.path("answer").asString()).isEqualTo(first.path("answer").asString());
        assertThat(second.path("citations")).isEqualTo(first.path("citations"));
        assertThat(second.path("dontKnow")).isEqualTo(first.path("dontKnow"));
        assertThat(second.path("tier")).isEqualTo(first.path("tier"));
        assertThat(retrieval.searches()).isEqualTo(1);
        assertThat(lookups("hit")).isEqualTo(hits + 1);
    }

    @Test
    void whileRedisIsAwayAnswersGoOnComputedAndTheFailedLookupsAreCounted() throws Exception {
        answer(QUESTION);
        double errors = lookups("error");

        redis.stop();
        try {
            JsonNode during = answer(QUESTION);
            JsonNode again = answer(QUESTION);

            assertThat(during.path("cached").asBoolean()).isFalse();
            assertThat(again.path("cached").asBoolean()).isFalse();
            assertThat(again.path("answer").asString()).contains("25 days", "[1]");
            assertThat(retrieval.searches()).isEqualTo(3);
            assertThat(lookups("error")).isEqualTo(errors + 2);
        } finally {
            redis.startAgain();
        }

        // Once the client has reconnected, answers are stored and served again.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean cachedAgain = false;
        while (!cachedAgain && System.nanoTime() < deadline) {
            cachedAgain = answer(QUESTION).path("cached").asBoolean();
            if (!cachedAgain) {
                Thread.sleep(200);
            }
        }
        assertThat(cachedAgain).as("an answer is served from Redis after it came back").isTrue();
    }

    @Test
    void readinessDoesNotDependOnRedis() throws Exception {
        redis.stop();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } finally {
            redis.startAgain();
        }
    }

    private double lookups(String result) {
        Counter c = meters.find("kb.inference.cache").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    private JsonNode answer(String question) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/answers"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + dave)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("question", question))))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static LocalRedisServer startRedisIfInstalled() {
        if (!Files.isExecutable(LocalRedisServer.BINARY)) {
            return null;
        }
        try {
            return LocalRedisServer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static TestIssuer startIssuer() {
        try {
            return TestIssuer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
