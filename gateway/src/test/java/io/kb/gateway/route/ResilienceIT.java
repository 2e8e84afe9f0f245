package io.kb.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.kb.gateway.LocalLogin;
import io.kb.gateway.RecordingUpstreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Circuit breakers that open after four failed calls, and retries, against stand-ins that fail, drop connections
 * and stream on cue. Each test uses its own upstream, since a breaker's state outlives a test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "kb.gateway.resilience.circuit-breaker.sliding-window-size=4",
    "kb.gateway.resilience.circuit-breaker.minimum-number-of-calls=4",
    "kb.gateway.resilience.circuit-breaker.wait-in-open-state=30s",
    "kb.gateway.resilience.retry.first-backoff=10ms",
})
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class ResilienceIT {

    static RecordingUpstreams upstreams;

    @Autowired
    WebTestClient client;

    @Autowired
    ReactiveResilience4JCircuitBreakerFactory breakers;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        upstreams = RecordingUpstreams.start(registry);
        LocalLogin.useTemporaryKeyFile(registry);
    }

    @AfterAll
    static void stopUpstreams() {
        upstreams.stopAll();
    }

    @BeforeEach
    void logIn() {
        client = client.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + LocalLogin.tokenFor(client, "alice"))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        upstreams.forget();
    }

    @Test
    void theBreakerOpensAfterFailedCallsAndAnswersWithAProblemWithoutCallingTheService() {
        int port = upstreams.stop("retrieval");
        try {
            for (int i = 0; i < 4; i++) {
                search().expectStatus().isEqualTo(502)
                        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectBody()
                        .jsonPath("$.type").isEqualTo("urn:kb:problem:upstream-unavailable")
                        .jsonPath("$.upstream").isEqualTo("retrieval");
            }
        } finally {
            upstreams.restart("retrieval", port);
        }

        // The service is back, but the open breaker does not call it until its wait is over.
        search().expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "30")
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:kb:problem:upstream-unavailable")
                .jsonPath("$.upstream").isEqualTo("retrieval")
                .jsonPath("$.detail").value(d -> assertThat(d.toString()).doesNotContain("Exception"));
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void theOpenAiApiGetsTheBreakersRefusalsInOpenAisErrorShape() {
        int port = upstreams.stop("inference");
        try {
            try {
                for (int i = 0; i < 4; i++) {
                    completion().expectStatus().isEqualTo(502)
                            .expectHeader().contentType(MediaType.APPLICATION_JSON)
                            .expectBody()
                            .jsonPath("$.error.type").isEqualTo("server_error")
                            .jsonPath("$.error.code").isEqualTo("upstream_unavailable");
                }
            } finally {
                upstreams.restart("inference", port);
            }

            completion().expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_JSON)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "30")
                    .expectBody()
                    .jsonPath("$.error.type").isEqualTo("server_error")
                    .jsonPath("$.error.code").isEqualTo("upstream_unavailable")
                    .jsonPath("$.error.message").value(m -> assertThat(m.toString()).contains("inference"));
            assertThat(upstreams.seen()).isEmpty();
        } finally {
            // The other tests stream through the inference breaker: close it again.
            breakers.getCircuitBreakerRegistry().circuitBreaker("inference").reset();
        }
    }

    @Test
    void aStreamedAnswerLongerThanResilience4jsDefaultTimeLimitIsNotCutOff() {
        upstreams.answer("inference", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            for (int i = 1; i <= 6; i++) {
                exchange.getResponseBody().write(("data: token-" + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                RecordingUpstreams.pause(500);
            }
            exchange.close();
        });
        long start = System.nanoTime();

        String body = client.post().uri("/api/v1/answers/stream").contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM).bodyValue("{\"question\":\"q\"}").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(body).contains("token-1").contains("token-6");
    }

    @Test
    void aGetIsRetriedAfterA502AndADroppedConnectionButAPostNever() {
        AtomicInteger calls = new AtomicInteger();
        upstreams.answer("ingest", exchange -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                RecordingUpstreams.respond(exchange, 502, "{\"from\":\"ingest\",\"call\":1}");
            } else if (call == 2) {
                // The connection is closed without an answer.
                throw new IOException("dropped on purpose");
            } else {
                RecordingUpstreams.respond(exchange, 200, "{\"from\":\"ingest\",\"call\":" + call + "}");
            }
        });

        client.get().uri("/api/v1/documents/aurora/handbook").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.call").isEqualTo(3);
        assertThat(upstreams.seenBy("ingest")).hasSize(3).allSatisfy(s -> assertThat(s.method()).isEqualTo("GET"));

        upstreams.forget();
        AtomicInteger posts = new AtomicInteger();
        upstreams.answer("ingest", exchange -> {
            posts.incrementAndGet();
            RecordingUpstreams.respond(exchange, 502, "{\"from\":\"ingest\"}");
        });
        client.post().uri("/api/v1/documents").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(502);
        assertThat(posts).hasValue(1);

        upstreams.forget();
        upstreams.answer("ingest", exchange -> {
            posts.incrementAndGet();
            throw new IOException("dropped on purpose");
        });
        client.post().uri("/api/v1/documents").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(502)
                .expectBody().jsonPath("$.type").isEqualTo("urn:kb:problem:upstream-unavailable");
        assertThat(posts).hasValue(2);
    }

    private WebTestClient.ResponseSpec completion() {
        return client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"kb\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").exchange();
    }

    private WebTestClient.ResponseSpec search() {
        return client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange();
    }
}
