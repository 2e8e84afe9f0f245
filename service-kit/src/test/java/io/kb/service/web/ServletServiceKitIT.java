package io.kb.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.kb.contracts.ContractViolationException;
import io.kb.service.security.TestIssuer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kit in a real servlet application over real HTTP: request ids, problem details, management defaults.
 * Every request carries a valid token from an in-process issuer; ServletSecurityIT covers the refusals.
 */
@SpringBootTest(classes = {ServletServiceKitIT.KitApp.class, ServletServiceKitIT.KitController.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.application.name=kit-test")
class ServletServiceKitIT {

    static final TestIssuer ISSUER = startIssuer();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String token = ISSUER.sign(TestIssuer.claims("alice", "acme", List.of("hr")).build());

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
        registry.add("kb.security.issuer", () -> TestIssuer.ISSUER);
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.close();
    }

    @Test
    void invalidBodyIsA400ProblemNamingTheField() throws Exception {
        HttpResponse<String> r = send("POST", "/greetings", "{\"name\":\"  \"}", Map.of());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = json.readTree(r.body());
        assertThat(p.path("type").asString()).isEqualTo("urn:kb:problem:validation");
        assertThat(p.path("errors").get(0).path("field").asString()).isEqualTo("name");
        assertThat(p.path("detail").asString()).contains("name");
        assertThat(p.path("requestId").asString()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void unreadableJsonIsA400NotA500() throws Exception {
        HttpResponse<String> r = send("POST", "/greetings", "{not json", Map.of());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json.readTree(r.body()).path("type").asString()).isEqualTo("urn:kb:problem:validation");
    }

    @Test
    void contractViolationsAre400sNamingTheContractField() throws Exception {
        HttpResponse<String> r = send("GET", "/contract", null, Map.of());

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode p = json.readTree(r.body());
        assertThat(p.path("errors").get(0).path("field").asString()).isEqualTo("acl");
    }

    @Test
    void unexpectedFailuresAre500sThatRevealNoInternals() throws Exception {
        HttpResponse<String> r = send("GET", "/boom", null, Map.of("X-Request-Id", "boom-1"));

        assertThat(r.statusCode()).isEqualTo(500);
        JsonNode p = json.readTree(r.body());
        assertThat(p.path("type").asString()).isEqualTo("urn:kb:problem:internal");
        assertThat(p.path("requestId").asString()).isEqualTo("boom-1");
        assertThat(r.body()).doesNotContain("database password").doesNotContain("IllegalStateException")
                .doesNotContain("at io.kb");
    }

    @Test
    void unknownPathsAre404Problems() throws Exception {
        HttpResponse<String> r = send("GET", "/nothing/here", null, Map.of());

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json.readTree(r.body()).path("type").asString()).isEqualTo("urn:kb:problem:not-found");
    }

    @Test
    void aWellFormedRequestIdIsKeptAndAMalformedOneReplaced() throws Exception {
        assertThat(send("GET", "/hello", null, Map.of("X-Request-Id", "abc-123")).headers().firstValue("X-Request-Id"))
                .hasValue("abc-123");

        String replaced = send("GET", "/hello", null, Map.of("X-Request-Id", "a b\"c")).headers()
                .firstValue("X-Request-Id").orElseThrow();
        assertThat(replaced).isNotEqualTo("a b\"c").matches("[A-Za-z0-9._:-]{1,128}");

        assertThat(send("GET", "/hello", null, Map.of()).headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void theRequestIdIsInTheLoggingContextWhileTheRequestRuns() throws Exception {
        HttpResponse<String> r = send("GET", "/hello", null, Map.of("X-Request-Id", "mdc-42"));

        assertThat(r.body()).isEqualTo("hello mdc-42");
    }

    @Test
    void healthProbesAndPrometheusAreServed() throws Exception {
        assertThat(send("GET", "/actuator/health/liveness", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/health/readiness", null, Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = send("GET", "/actuator/prometheus", null, Map.of());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("application=\"kit-test\"");
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static TestIssuer startIssuer() {
        try {
            return TestIssuer.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SpringBootApplication
    static class KitApp {
    }

    record Greeting(@NotBlank String name) {
    }

    @RestController
    static class KitController {

        @PostMapping("/greetings")
        String greet(@Valid @RequestBody Greeting greeting) {
            return "hello " + greeting.name();
        }

        @GetMapping("/hello")
        String hello() {
            return "hello " + org.slf4j.MDC.get("requestId");
        }

        @GetMapping("/contract")
        String contract() {
            throw new ContractViolationException("acl", "must not be empty");
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("database password is hunter2");
        }
    }
}
