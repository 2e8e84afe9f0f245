package io.kb.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.kb.gateway.RecordingUpstreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The {@code cluster} profile with an outside issuer, played by an in-process server that publishes a JWK
 * set: Spring Boot builds the decoder from {@code issuer-uri} and {@code jwk-set-uri}, and the platform's own
 * checks (audience, tenant claim, here renamed to {@code org}) still apply; the local issuer is absent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("cluster")
class ExternalIssuerIT {

    static final String ISSUER = "https://login.example.com/realms/kb";
    static final RSAKey KEY = generate();
    static RecordingUpstreams upstreams;
    static HttpServer provider;

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        upstreams = RecordingUpstreams.start(registry);
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        provider.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        provider.start();
        registry.add("KB_OIDC_ISSUER_URI", () -> ISSUER);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + provider.getAddress().getPort() + "/jwks");
        registry.add("kb.gateway.auth.tenant-claim", () -> "org");
        registry.add("kb.gateway.auth.audience", () -> "kb-api");
        // The cluster's Redis rate limits are RedisTokenBucketsIT's subject; this test is about the issuer.
        registry.add("kb.gateway.rate-limit.backend", () -> "memory");
    }

    @AfterAll
    static void stop() {
        upstreams.stopAll();
        provider.stop(0);
    }

    @BeforeEach
    void forget() {
        upstreams.forget();
    }

    @Test
    void aTokenOfTheConfiguredIssuerWithThePlatformsClaimsPasses() {
        call(token(c -> { })).expectStatus().isOk();
        assertThat(upstreams.seen()).hasSize(1);
    }

    @Test
    void theAudienceTheTenantClaimAndTheIssuerAreStillRequired() {
        call(token(c -> c.audience("kb"))).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error.code").isEqualTo("invalid_api_key"); // OpenAI's shape under /v1/
        call(token(c -> c.claim("org", null).claim("tenant", "aurora"))).expectStatus().isUnauthorized();
        call(token(c -> c.issuer("https://elsewhere.example.com"))).expectStatus().isUnauthorized();
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void theLocalIssuerIsNotThere() {
        client.post().uri("/auth/token").bodyValue("{\"username\":\"alice\",\"password\":\"demo\"}")
                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                .exchange().expectStatus().isNotFound();
        client.get().uri("/.well-known/jwks.json").exchange().expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec call(String token) {
        return client.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private static String token(Consumer<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER).subject("alice").audience(List.of("kb-api", "account"))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("org", "aurora").claim("groups", List.of("hr"));
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(KEY));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("provider-key-1").generate();
        } catch (JOSEException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
