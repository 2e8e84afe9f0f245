package io.kb.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kb.gateway.LocalLogin;
import io.kb.gateway.RecordingUpstreams;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The gateway of the {@code local} profile, with its built-in issuer, in front of recording stand-ins for the
 * services: which tokens pass, what a refusal looks like, and what reaches a service when one passes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class GatewayAuthenticationIT {

    static final String ISSUER = "http://127.0.0.1:8080";
    static RecordingUpstreams upstreams;

    @Autowired
    WebTestClient client;

    @Autowired
    LocalSigningKey gatewayKey;

    @Autowired
    MeterRegistry meters;

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
    void forget() {
        upstreams.forget();
    }

    @Test
    void securityStepsAndTheOutboundCallRunUnobservedWhileTheRequestItselfIsTimedOnce() {
        client.post().uri("/api/v1/search")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + LocalLogin.tokenFor(client, "alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"query\":\"q\"}")
                .exchange().expectStatus().isOk();

        List<String> names = meters.getMeters().stream().map(m -> m.getId().getName()).distinct().toList();
        assertThat(names).contains("kb.gateway.requests")
                .doesNotContain("http.server.requests", "http.server.requests.active", "spring.cloud.gateway.requests")
                .noneMatch(name -> name.startsWith("spring.security") || name.startsWith("http.client.requests"));
    }

    @Test
    void refusesEveryTokenThatIsMissingOrInvalidWithAProblemAndReachesNoService() throws Exception {
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID(gatewayKey.keyId()).generate();
        Map<String, String> authorizations = new LinkedHashMap<>();
        authorizations.put("no-token", null);
        authorizations.put("not-bearer", "Basic YWxpY2U6ZGVtbw==");
        authorizations.put("malformed", "Bearer not.a.jwt");
        authorizations.put("unsigned", "Bearer " + unsigned());
        authorizations.put("bad-signature", "Bearer " + token(otherKey, c -> { }));
        authorizations.put("expired", "Bearer " + token(c -> c
                .issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(600)))));
        authorizations.put("wrong-audience", "Bearer " + token(c -> c.audience("another-platform")));
        authorizations.put("wrong-issuer", "Bearer " + token(c -> c.issuer("https://issuer.example")));
        authorizations.put("missing-tenant", "Bearer " + token(c -> c.claim("tenant", null)));
        authorizations.put("groups-not-an-array", "Bearer " + token(c -> c.claim("groups", "hr")));

        authorizations.forEach((name, authorization) -> {
            var request = client.post().uri("/api/v1/search").header("X-Request-Id", name)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{}");
            if (authorization != null) {
                request = request.header(HttpHeaders.AUTHORIZATION, authorization);
            }
            request.exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, v -> assertThat(v).startsWith("Bearer"))
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:kb:problem:unauthorized")
                    .jsonPath("$.status").isEqualTo(401)
                    .jsonPath("$.requestId").isEqualTo(name)
                    .jsonPath("$.detail").value(d -> assertThat(d.toString()).doesNotContain("Exception"));
        });
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void theOpenAiApiRefusesAMissingOrInvalidTokenInOpenAisErrorShape() {
        Map<String, String> authorizations = new LinkedHashMap<>();
        authorizations.put("no-token", null);
        authorizations.put("malformed", "Bearer not.a.jwt");
        authorizations.put("wrong-audience", "Bearer " + token(c -> c.audience("x")));
        authorizations.forEach((name, authorization) -> {
            for (String path : List.of("/v1/chat/completions", "/v1/models")) {
                WebTestClient.RequestHeadersSpec<?> request = path.endsWith("completions")
                        ? client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                        : client.get().uri(path);
                if (authorization != null) {
                    request = request.header(HttpHeaders.AUTHORIZATION, authorization);
                }
                request.exchange()
                        .expectStatus().isUnauthorized()
                        .expectHeader().contentType(MediaType.APPLICATION_JSON)
                        .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, v -> assertThat(v).startsWith("Bearer"))
                        .expectHeader().exists("X-Request-Id")
                        .expectBody()
                        .jsonPath("$.error.type").isEqualTo("invalid_request_error")
                        .jsonPath("$.error.code").isEqualTo("invalid_api_key")
                        .jsonPath("$.error.param").isEmpty()
                        .jsonPath("$.error.message").value(m -> assertThat(m.toString()).as(name).isNotBlank())
                        .jsonPath("$.type").doesNotExist();
            }
        });
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void anInvalidTokenIsChallengedWithInvalidToken() {
        client.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(c -> c.audience("x")))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE,
                        v -> assertThat(v).startsWith("Bearer").contains("error=\"invalid_token\""));
    }

    @Test
    void aLoggedInUsersTokenReachesTheServiceIntactAndForgedIdentityHeadersDoNot() {
        String token = LocalLogin.tokenFor(client, "bob");

        client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("X-User-Id", "carol")
                .header("X-Tenant", "other-tenant")
                .header("X-Tenant-Id", "other-tenant")
                .header("X-Groups", "executives")
                .header("X-Auth-Request-User", "carol")
                .header("x-authenticated-user", "carol")
                .header("X-Forwarded-User", "carol")
                .header("X-Custom", "kept")
                .bodyValue("{\"query\":\"salary bands\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.from").isEqualTo("retrieval");

        RecordingUpstreams.Seen seen = upstreams.seen().getFirst();
        assertThat(seen.header(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer " + token);
        assertThat(seen.headers().keySet()).noneSatisfy(name -> assertThat(name.toLowerCase())
                .matches("x-(user|tenant|groups|auth|forwarded-user).*"));
        assertThat(seen.header("X-Custom")).containsExactly("kept");
    }

    @Test
    void anotherTenantsTokenReachesTheServiceAsThatTenantWhateverTheHeadersClaim() throws Exception {
        // A valid token of tenant borealis: the gateway lets it through, and the services scope by its claim alone.
        String borealis = token(c -> c.subject("erin").claim("tenant", "borealis").claim("groups", List.of("hr")));

        client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + borealis)
                .header("X-Tenant-Id", "aurora")
                .header("X-User-Tenant", "aurora")
                .bodyValue("{\"query\":\"salary bands\"}")
                .exchange()
                .expectStatus().isOk();

        RecordingUpstreams.Seen seen = upstreams.seen().getFirst();
        assertThat(seen.header(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer " + borealis);
        assertThat(SignedJWT.parse(borealis).getJWTClaimsSet().getStringClaim("tenant")).isEqualTo("borealis");
        assertThat(seen.headers().keySet()).noneSatisfy(name -> assertThat(name.toLowerCase()).startsWith("x-tenant"));
        assertThat(seen.headers().keySet()).noneSatisfy(name -> assertThat(name.toLowerCase()).startsWith("x-user"));
    }

    @Test
    void aFormLoginGetsATokenThatTheJwksEndpointsKeyVerifies() throws Exception {
        TokenResponse response = client.post().uri("/auth/token")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("username", "wang.fang").with("password", "demo"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(TokenResponse.class).returnResult().getResponseBody();
        assertThat(response.token_type()).isEqualTo("Bearer");
        assertThat(response.expires_in()).isEqualTo(3600);

        String jwks = client.get().uri("/.well-known/jwks.json").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JWKSet keys = JWKSet.parse(jwks);
        assertThat(keys.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());

        SignedJWT jwt = SignedJWT.parse(response.access_token());
        RSAKey published = keys.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey();
        assertThat(jwt.verify(new RSASSAVerifier(published))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("wang.fang");
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).containsExactly("kb");
        assertThat(claims.getStringClaim("tenant")).isEqualTo("aurora");
        assertThat(claims.getStringListClaim("groups")).containsExactly("hr");
        assertThat(claims.getStringClaim("name")).isEqualTo("王芳");
        assertThat(claims.getExpirationTime()).isAfter(new Date());
    }

    @Test
    void aUserWithoutGroupsGetsAnEmptyGroupsClaimAndIsLetIn() throws Exception {
        String token = LocalLogin.tokenFor(client, "dave");
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringListClaim("groups")).isEmpty();

        client.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsTheSame401Problem() {
        for (String login : List.of("{\"username\":\"alice\",\"password\":\"wrong\"}",
                "{\"username\":\"mallory\",\"password\":\"demo\"}")) {
            client.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON).header("X-Request-Id", "login-1")
                    .bodyValue(login).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, v -> assertThat(v).startsWith("Bearer"))
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:kb:problem:unauthorized")
                    .jsonPath("$.requestId").isEqualTo("login-1")
                    .jsonPath("$.detail").isEqualTo("The user name or the password is not correct.")
                    .jsonPath("$.access_token").doesNotExist();
        }
    }

    @Test
    void aLoginWithoutAPasswordIsAValidationProblem() {
        client.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\":\"alice\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:kb:problem:validation");
    }

    @Test
    void probesMetricsAndTheLoginPageAreOpen() {
        client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        client.get().uri("/auth/login").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
    }

    @Test
    void otherActuatorEndpointsNeedAToken() {
        client.get().uri("/actuator").exchange().expectStatus().isUnauthorized();
    }

    /** A token like the local issuer's, signed with the gateway's own key, changed by {@code change}. */
    private String token(Consumer<JWTClaimsSet.Builder> change) {
        return token(gatewayKey.signingKey(), change);
    }

    private static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("alice")
                .audience("kb")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("tenant", "aurora")
                .claim("groups", List.of("hr"));
        change.accept(claims);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with {@code alg: none}: valid claims, no signature. */
    private static String unsigned() {
        var encoder = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        String claims = encoder.encodeToString(("{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\",\"aud\":\"kb\","
                + "\"tenant\":\"aurora\",\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}").getBytes());
        return header + "." + claims + ".";
    }

    record TokenResponse(String access_token, String token_type, long expires_in) {
    }
}
