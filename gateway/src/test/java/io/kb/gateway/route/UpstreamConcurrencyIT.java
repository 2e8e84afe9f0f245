package io.kb.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.kb.gateway.LocalLogin;
import io.kb.gateway.RecordingUpstreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Many calls waiting on one upstream at once, as searches do while retrieval-service is busy: the gateway's own
 * concurrency limit is what bounds them, not a bulkhead hidden in the circuit breaker. Spring Cloud CircuitBreaker
 * wraps every call, until the service's response headers arrive, in a Resilience4j bulkhead of 25 calls by
 * default; its refusals came out as 502s and opened the breaker for everyone. The callers use the JDK client,
 * which opens a connection per call; WebTestClient's pool would hold some of them back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class UpstreamConcurrencyIT {

    /** Past Resilience4j's default of 25 concurrent calls, well within the edge's limit of 256. */
    private static final int CALLS = 40;

    static RecordingUpstreams upstreams;

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        upstreams = RecordingUpstreams.start(registry);
        LocalLogin.useTemporaryKeyFile(registry);
    }

    @AfterAll
    static void stopUpstreams() {
        upstreams.stopAll();
    }

    @Test
    void moreCallsThanResilience4jsDefaultBulkheadAreAllWaitingOnTheServiceAtOnce() throws Exception {
        CountDownLatch waiting = new CountDownLatch(CALLS);
        CountDownLatch answer = new CountDownLatch(1);
        upstreams.answer("retrieval", exchange -> {
            waiting.countDown();
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"hits\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        String token = LocalLogin.tokenFor(client, "alice");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest search = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/search"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"q\"}")).build();

        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, CALLS)
                .mapToObj(i -> http.sendAsync(search, HttpResponse.BodyHandlers.ofString())).toList();
        boolean allWaiting = waiting.await(20, TimeUnit.SECONDS);
        answer.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            statuses.add(call.get(30, TimeUnit.SECONDS).statusCode());
        }

        assertThat(statuses).as("statuses of the %d calls", CALLS).containsOnly(200);
        assertThat(allWaiting).as("all %d calls reached the service at once", CALLS).isTrue();
        assertThat(upstreams.seenBy("retrieval")).hasSize(CALLS);
    }
}
