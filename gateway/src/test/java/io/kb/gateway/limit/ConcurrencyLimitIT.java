package io.kb.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.kb.gateway.LocalLogin;
import io.kb.gateway.RecordingUpstreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** At most two requests in flight, against an inference stand-in that streams its answers until told to finish. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "kb.gateway.concurrency.max-in-flight=2", "kb.gateway.concurrency.retry-after=2s",
})
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class ConcurrencyLimitIT {

    static RecordingUpstreams upstreams;

    @Autowired
    WebTestClient client;

    @Autowired
    ConcurrencyLimitFilter limit;

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
    void shedsTheRequestPastTheLimitWhileTwoStreamsAreInFlightAndRecoversWhenTheyEnd() throws Exception {
        CountDownLatch streaming = new CountDownLatch(2);
        CountDownLatch finish = new CountDownLatch(1);
        upstreams.answer("inference", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            streaming.countDown();
            try {
                finish.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseBody().write("data: last\n\n".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        List<CompletableFuture<String>> streams = IntStream.range(0, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> answer().expectStatus().isOk()
                        .expectBody(String.class).returnResult().getResponseBody(), callers))
                .toList();
        assertThat(streaming.await(10, TimeUnit.SECONDS)).as("both streams started").isTrue();

        answer().expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2")
                .expectBody().jsonPath("$.type").isEqualTo("urn:kb:problem:overloaded");
        assertThat(upstreams.seen()).hasSize(2);
        assertThat(limit.inFlight()).isEqualTo(2);

        finish.countDown();
        for (CompletableFuture<String> stream : streams) {
            assertThat(stream.get(10, TimeUnit.SECONDS)).contains("first").contains("last");
        }
        callers.shutdown();
        upstreams.forget();
        answer().expectStatus().isOk();
        // The place is given back once the response is written, a moment after the client has read it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (limit.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(limit.inFlight()).isZero();
    }

    private WebTestClient.ResponseSpec answer() {
        return client.post().uri("/api/v1/answers/stream").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"question\":\"q\"}").exchange();
    }
}
