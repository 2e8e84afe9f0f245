package io.kb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway in front of three real HTTP servers standing in for the services: each records what reached
 * it, so the tests see the path, the method, the body and the headers that the gateway passed on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class GatewayRoutingIT {

    static RecordingUpstreams upstreams;

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        upstreams = RecordingUpstreams.start(registry);
        LocalLogin.useTemporaryKeyFile(registry);
    }

    @AfterAll
    static void stopUpstreams() {
        upstreams.stopAll();
    }

    /** Every API needs a token now; these tests are about routing, so each call carries alice's. */
    @BeforeEach
    void logIn() {
        client = client.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + LocalLogin.tokenFor(client, "alice"))
                .build();
        upstreams.forget();
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
                "/v1/models", "inference",
                "/v1/models/kb", "inference");
        routes.forEach((path, upstream) -> client.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.from").isEqualTo(upstream));

        assertThat(upstreams.seen()).hasSize(routes.size());
        upstreams.seen().forEach(s -> assertThat(s.upstream()).as(s.path()).isEqualTo(routes.get(s.path())));
    }

    @Test
    void passesTheBodyAndTheCallersRequestIdOn() {
        client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON)
                .header("X-Request-Id", "client-77")
                .bodyValue("{\"query\":\"travel policy\"}").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Request-Id", "client-77");

        RecordingUpstreams.Seen s = upstreams.seen().getFirst();
        assertThat(s.body()).isEqualTo("{\"query\":\"travel policy\"}");
        assertThat(s.header("X-Request-Id")).containsExactly("client-77");
    }

    @Test
    void createsARequestIdWhenTheCallerSentNoneOrABadOne() {
        for (String given : new String[] {null, "bad id with spaces"}) {
            upstreams.forget();
            var spec = client.get().uri("/v1/models");
            if (given != null) {
                spec = spec.header("X-Request-Id", given);
            }
            String returned = spec.exchange().expectStatus().isOk()
                    .returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");

            assertThat(returned).isNotNull().isNotEqualTo(given).matches("[A-Za-z0-9._:-]{1,128}");
            assertThat(upstreams.seen().getFirst().header("X-Request-Id")).containsExactly(returned);
        }
    }

    @Test
    void pathsOutsideTheApiAreProblemsAndReachNoService() {
        for (String path : List.of("/api/v1/unknown", "/internal/admin")) {
            client.get().uri(path).header("X-Request-Id", "nf-1").exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:kb:problem:not-found")
                    .jsonPath("$.requestId").isEqualTo("nf-1");
        }
        // Spring Security's firewall refuses a path that is not normalized before any route is matched.
        client.get().uri("/api/v1/search/../../actuator/env").header("X-Request-Id", "nf-2").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:kb:problem:validation")
                .jsonPath("$.requestId").isEqualTo("nf-2");
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void unknownPathsOfTheOpenAiApiAreNotFoundInOpenAisErrorShape() {
        client.get().uri("/v1/embeddings").header("X-Request-Id", "nf-3").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectHeader().valueEquals("X-Request-Id", "nf-3")
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("invalid_request_error")
                .jsonPath("$.error.code").isEqualTo("not_found")
                .jsonPath("$.error.message").isNotEmpty();
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void traversalOutOfTheApiIsRefusedAndReachesNoService() {
        for (String path : List.of("/api/v1/../internal", "/api/v1/%2e%2e/internal", "/api/v1/%2E%2E/internal",
                "/api/v1/search/%2e%2e/%2e%2e/internal", "/api/v1/..%2finternal", "/api/v1/%2e%2e%2finternal")) {
            client.get().uri(URI.create("http://127.0.0.1:" + port + path)).exchange()
                    .expectStatus().value(status -> assertThat(status).as(path).isIn(400, 404))
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void anUpstreamThatIsDownIsA502ProblemNotAStackTrace() {
        int port = upstreams.stop("retrieval");
        try {
            client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                    .expectStatus().isEqualTo(502)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:kb:problem:upstream-unavailable")
                    .jsonPath("$.detail").value(d -> assertThat(d.toString()).doesNotContain("Exception"));
        } finally {
            upstreams.restart("retrieval", port);
        }
    }
}
