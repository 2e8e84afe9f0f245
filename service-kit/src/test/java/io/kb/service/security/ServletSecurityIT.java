package io.kb.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Bearer-token security in a real servlet application over real HTTP, with keys from an in-process JWK set. */
@SpringBootTest(classes = {ServletSecurityIT.SecuredApp.class, ServletSecurityIT.CallerController.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=security-test", "kb.security.open-paths=/open/**"})
class ServletSecurityIT {

    static final TestIssuer ISSUER = startIssuer();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

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
    void aRequestWithoutATokenIsA401ProblemWithTheRequestId() throws Exception {
        HttpResponse<String> r = get("/whoami", null, Map.of("X-Request-Id", "no-token-1"));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        JsonNode p = json.readTree(r.body());
        assertThat(p.path("type").asString()).isEqualTo("urn:kb:problem:unauthorized");
        assertThat(p.path("status").asInt()).isEqualTo(401);
        assertThat(p.path("requestId").asString()).isEqualTo("no-token-1");
    }

    @Test
    void aMalformedTokenIsA401Problem() throws Exception {
        assertRejectedWithoutSayingWhy(get("/whoami", "not-a-jwt", Map.of()));
    }

    @Test
    void anExpiredTokenIsRejected() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        JWTClaimsSet claims = TestIssuer.claims("alice", "acme", List.of("hr"))
                .issueTime(Date.from(longAgo))
                .expirationTime(Date.from(longAgo.plus(Duration.ofMinutes(5))))
                .build();

        assertRejectedWithoutSayingWhy(get("/whoami", ISSUER.sign(claims), Map.of()));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRejected() throws Exception {
        String forged = TestIssuer.sign(TestIssuer.newKey(), TestIssuer.claims("alice", "acme", List.of()).build());

        assertRejectedWithoutSayingWhy(get("/whoami", forged, Map.of()));
    }

    @Test
    void aTokenForAnotherAudienceIsRejected() throws Exception {
        JWTClaimsSet claims = TestIssuer.claims("alice", "acme", List.of()).audience(List.of("billing")).build();

        assertRejectedWithoutSayingWhy(get("/whoami", ISSUER.sign(claims), Map.of()));
    }

    @Test
    void aTokenFromAnotherIssuerIsRejected() throws Exception {
        JWTClaimsSet claims = TestIssuer.claims("alice", "acme", List.of()).issuer("http://evil.test").build();

        assertRejectedWithoutSayingWhy(get("/whoami", ISSUER.sign(claims), Map.of()));
    }

    @Test
    void aTokenWithoutAValidTenantIsRejected() throws Exception {
        JWTClaimsSet missing = TestIssuer.claims("alice", "acme", List.of()).claim("tenant", null).build();
        JWTClaimsSet malformed = TestIssuer.claims("alice", "Acme Corp", List.of()).build();
        JWTClaimsSet notAString = TestIssuer.claims("alice", "acme", List.of()).claim("tenant", List.of("acme")).build();

        assertRejectedWithoutSayingWhy(get("/whoami", ISSUER.sign(missing), Map.of()));
        assertRejectedWithoutSayingWhy(get("/whoami", ISSUER.sign(malformed), Map.of()));
        assertRejectedWithoutSayingWhy(get("/whoami", ISSUER.sign(notAString), Map.of()));
    }

    @Test
    void aTokenWhoseGroupsAreNotAnArrayOfNamesIsRejected() throws Exception {
        JWTClaimsSet string = TestIssuer.claims("alice", "acme", List.of()).claim("groups", "hr").build();
        JWTClaimsSet blankName = TestIssuer.claims("alice", "acme", List.of("hr", " ")).build();

        assertRejectedWithoutSayingWhy(get("/whoami", ISSUER.sign(string), Map.of()));
        assertRejectedWithoutSayingWhy(get("/whoami", ISSUER.sign(blankName), Map.of()));
    }

    @Test
    void aTokenWithoutASubjectIsRejected() throws Exception {
        JWTClaimsSet claims = TestIssuer.claims("alice", "acme", List.of()).subject(null).build();

        assertRejectedWithoutSayingWhy(get("/whoami", ISSUER.sign(claims), Map.of()));
    }

    @Test
    void theControllerReceivesTheCallerOfAValidToken() throws Exception {
        String token = ISSUER.sign(TestIssuer.claims("wang.fang", "acme", List.of("hr", "finance")).build());

        HttpResponse<String> r = get("/whoami", token, Map.of());

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode caller = json.readTree(r.body());
        assertThat(caller.path("userId").asString()).isEqualTo("wang.fang");
        assertThat(caller.path("tenant").asString()).isEqualTo("acme");
        assertThat(caller.path("name").asString()).isEqualTo("Display wang.fang");
        assertThat(strings(caller.path("groups"))).containsExactly("hr", "finance");
        assertThat(strings(caller.path("principals")))
                .containsExactly("user:wang.fang", "group:hr", "group:finance", "public");
    }

    @Test
    void aTokenWithoutGroupsGivesACallerWithNone() throws Exception {
        String token = ISSUER.sign(TestIssuer.claims("dave", "acme", List.of()).claim("groups", null).build());

        JsonNode caller = json.readTree(get("/whoami", token, Map.of()).body());

        assertThat(strings(caller.path("groups"))).isEmpty();
        assertThat(strings(caller.path("principals"))).containsExactly("user:dave", "public");
    }

    @Test
    void identityHeadersAreIgnored() throws Exception {
        String token = ISSUER.sign(TestIssuer.claims("alice", "acme", List.of("hr")).build());

        HttpResponse<String> r = get("/whoami", token,
                Map.of("X-Tenant", "other", "X-User-Id", "mallory", "X-Groups", "executives"));

        JsonNode caller = json.readTree(r.body());
        assertThat(caller.path("tenant").asString()).isEqualTo("acme");
        assertThat(caller.path("userId").asString()).isEqualTo("alice");
        assertThat(strings(caller.path("groups"))).containsExactly("hr");
    }

    @Test
    void aDeniedActionIsA403Problem() throws Exception {
        String token = ISSUER.sign(TestIssuer.claims("alice", "acme", List.of()).build());

        HttpResponse<String> r = get("/forbidden", token, Map.of("X-Request-Id", "denied-1"));

        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode p = json.readTree(r.body());
        assertThat(p.path("type").asString()).isEqualTo("urn:kb:problem:forbidden");
        assertThat(p.path("requestId").asString()).isEqualTo("denied-1");
    }

    @Test
    void probesInfoAndMetricsNeedNoToken() throws Exception {
        assertThat(get("/actuator/health", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/info", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", null, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void anOpenPathNeedsNoTokenButGivesNoCaller() throws Exception {
        HttpResponse<String> open = get("/open/ping", null, Map.of());
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).isEqualTo("pong");

        HttpResponse<String> asksForCaller = get("/open/whoami", null, Map.of());
        assertThat(asksForCaller.statusCode()).isEqualTo(401);
        assertThat(json.readTree(asksForCaller.body()).path("type").asString()).isEqualTo("urn:kb:problem:unauthorized");
    }

    @Test
    void theKeysAreFetchedOnceNotPerRequest() throws Exception {
        String token = ISSUER.sign(TestIssuer.claims("alice", "acme", List.of()).build());
        get("/whoami", token, Map.of());
        int fetched = ISSUER.keyRequests();

        for (int i = 0; i < 3; i++) {
            assertThat(get("/whoami", token, Map.of()).statusCode()).isEqualTo(200);
        }

        assertThat(ISSUER.keyRequests()).isEqualTo(fetched).isPositive();
    }

    private void assertRejectedWithoutSayingWhy(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        JsonNode p = json.readTree(r.body());
        assertThat(p.path("type").asString()).isEqualTo("urn:kb:problem:unauthorized");
        assertThat(p.path("requestId").asString()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(p.path("detail").asString()).isEqualTo("The request needs a valid bearer token.");
        assertThat(r.body()).doesNotContainIgnoringCase("expired").doesNotContain("aud").doesNotContain("iss")
                .doesNotContain("tenant").doesNotContain("groups").doesNotContain("signature");
    }

    private HttpResponse<String> get(String path, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static TestIssuer startIssuer() {
        try {
            return TestIssuer.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SpringBootApplication
    static class SecuredApp {
    }

    @RestController
    static class CallerController {

        @GetMapping("/whoami")
        Map<String, Object> whoami(AuthenticatedCaller caller) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("userId", caller.userId());
            body.put("tenant", caller.tenant());
            body.put("groups", caller.groups());
            body.put("name", caller.name());
            body.put("principals", caller.principals());
            return body;
        }

        @GetMapping("/forbidden")
        String forbidden(AuthenticatedCaller caller) {
            throw new AccessDeniedException(caller.userId() + " may not");
        }

        @GetMapping("/open/ping")
        String ping() {
            return "pong";
        }

        @GetMapping("/open/whoami")
        String openWhoami(AuthenticatedCaller caller) {
            return caller.userId();
        }
    }
}
