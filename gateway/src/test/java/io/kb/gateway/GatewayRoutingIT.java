package io.kb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway in front of three real HTTP servers standing in for the services: each records what reached
 * it, so the tests see the path, the method, the body and the headers that the gateway passed on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GatewayRoutingIT {

    record Seen(String upstream, String method, String path, String body, Map<String, List<String>> headers) {
    }

    static final List<Seen> seen = new CopyOnWriteArrayList<>();
    static final Map<String, HttpServer> upstreams = new ConcurrentHashMap<>();

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) throws IOException {
        for (String name : List.of("ingest", "retrieval", "inference")) {
            HttpServer server = startUpstream(name, 0);
            registry.add("kb.gateway.upstreams." + name, () -> "http://127.0.0.1:" + server.getAddress().getPort());
        }
    }

    /** A server that records each request and answers with its own name. */
    private static HttpServer startUpstream(String name, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(name, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                    Map.copyOf(exchange.getRequestHeaders())));
            byte[] answer = ("{\"from\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        upstreams.put(name, server);
        return server;
    }

    @AfterAll
    static void stopUpstreams() {
        upstreams.values().forEach(s -> s.stop(0));
    }

    @BeforeEach
    void forget() {
        seen.clear();
    }

    @Test
    void eachApiReachesItsService() {
        Map<String, String> routes = Map.of(
                "/api/v1/documents", "ingest",
                "/api/v1/documents/acme/handbook", "ingest",
                "/api/v1/search", "retrieval",
                "/api/v1/answers", "inference",
                "/api/v1/answers/stream", "inference",
                "/v1/chat/completions", "inference",
                "/v1/models", "inference");
        routes.forEach((path, upstream) -> client.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.from").isEqualTo(upstream));

        assertThat(seen).hasSize(routes.size());
        seen.forEach(s -> assertThat(s.upstream()).as(s.path()).isEqualTo(routes.get(s.path())));
    }

    @Test
    void passesTheBodyAndTheCallersRequestIdOn() {
        client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON)
                .header("X-Request-Id", "client-77")
                .bodyValue("{\"query\":\"travel policy\"}").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Request-Id", "client-77");

        Seen s = seen.getFirst();
        assertThat(s.body()).isEqualTo("{\"query\":\"travel policy\"}");
        assertThat(s.headers().get("X-request-id")).containsExactly("client-77");
    }

    @Test
    void createsARequestIdWhenTheCallerSentNoneOrABadOne() {
        for (String given : new String[] {null, "bad id with spaces"}) {
            seen.clear();
            var spec = client.get().uri("/v1/models");
            if (given != null) {
                spec = spec.header("X-Request-Id", given);
            }
            String returned = spec.exchange().expectStatus().isOk()
                    .returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");

            assertThat(returned).isNotNull().isNotEqualTo(given).matches("[A-Za-z0-9._:-]{1,128}");
            assertThat(seen.getFirst().headers().get("X-request-id")).containsExactly(returned);
        }
    }

    @Test
    void pathsOutsideTheApiAreProblemsAndReachNoService() {
        for (String path : List.of("/api/v1/unknown", "/api/v1/search/../../actuator/env", "/internal/admin")) {
            client.get().uri(path).header("X-Request-Id", "nf-1").exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:kb:problem:not-found")
                    .jsonPath("$.requestId").isEqualTo("nf-1");
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void anUpstreamThatIsDownIsA502ProblemNotAStackTrace() {
        HttpServer retrieval = upstreams.get("retrieval");
        int port = retrieval.getAddress().getPort();
        retrieval.stop(0);
        try {
            client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                    .expectStatus().isEqualTo(502)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:kb:problem:upstream-unavailable")
                    .jsonPath("$.detail").value(d -> assertThat(d.toString()).doesNotContain("Exception"));
        } finally {
            restart("retrieval", port);
        }
    }

    private static void restart(String name, int port) {
        try {
            startUpstream(name, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart the " + name + " stand-in on port " + port, e);
        }
    }
}
