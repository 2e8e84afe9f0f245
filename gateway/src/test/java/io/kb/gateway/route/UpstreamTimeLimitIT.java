package io.kb.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.kb.gateway.LocalLogin;
import io.kb.gateway.RecordingUpstreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The breakers' time limit, now timed on the event loop instead of by Resilience4j's time limiter: a call that
 * runs past it is a 504 problem and a failure of the upstream's breaker; a call within it is untouched, also when
 * it ends long after an earlier call's timer would have fired.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "kb.gateway.resilience.circuit-breaker.time-limit=1s",
})
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class UpstreamTimeLimitIT {

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
    void aCallPastTheTimeLimitIsA504ProblemAndAFailureOfTheBreaker() {
        upstreams.answer("retrieval", exchange -> {
            RecordingUpstreams.pause(4_000);
            RecordingUpstreams.respond(exchange, 200, "{\"from\":\"retrieval\"}");
        });
        CircuitBreaker breaker = breakers.getCircuitBreakerRegistry().circuitBreaker("retrieval");
        int failedBefore = breaker.getMetrics().getNumberOfFailedCalls();
        long start = System.nanoTime();

        search().expectStatus().isEqualTo(504)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:kb:problem:upstream-unavailable")
                .jsonPath("$.upstream").isEqualTo("retrieval");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3_500));
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(failedBefore + 1);
    }

    @Test
    void callsWithinTheTimeLimitAreNotCutOffByAnEarlierCallsTimer() {
        upstreams.answer("inference", exchange -> {
            RecordingUpstreams.pause(600);
            RecordingUpstreams.respond(exchange, 200, "{\"from\":\"inference\"}");
        });

        // Three calls of 0.6 s each: the first call's 1 s would end during the second, the second's during the third.
        for (int i = 0; i < 3; i++) {
            client.post().uri("/api/v1/answers").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"question\":\"q\"}").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.from").isEqualTo("inference");
        }
    }

    private WebTestClient.ResponseSpec search() {
        return client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange();
    }
}
