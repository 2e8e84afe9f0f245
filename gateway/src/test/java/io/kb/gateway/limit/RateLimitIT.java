package io.kb.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.gateway.LocalLogin;
import io.kb.gateway.RecordingUpstreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The in-memory rate limits in front of recording stand-ins, with buckets small enough to empty in a test and a
 * refill too slow to matter within one: users of their own tenants, so each test has buckets nobody else touches.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "kb.gateway.rate-limit.user.capacity=3", "kb.gateway.rate-limit.user.refill-tokens=1",
    "kb.gateway.rate-limit.user.refill-period=1h",
    "kb.gateway.rate-limit.tenant.capacity=5", "kb.gateway.rate-limit.tenant.refill-tokens=1",
    "kb.gateway.rate-limit.tenant.refill-period=1h",
    "kb.gateway.local-issuer.users.u1.password=demo", "kb.gateway.local-issuer.users.u1.tenant=t1",
    "kb.gateway.local-issuer.users.u2.password=demo", "kb.gateway.local-issuer.users.u2.tenant=t1",
    "kb.gateway.local-issuer.users.v1.password=demo", "kb.gateway.local-issuer.users.v1.tenant=t2",
    "kb.gateway.local-issuer.users.v2.password=demo", "kb.gateway.local-issuer.users.v2.tenant=t2",
    "kb.gateway.local-issuer.users.v3.password=demo", "kb.gateway.local-issuer.users.v3.tenant=t2",
    "kb.gateway.local-issuer.users.w1.password=demo", "kb.gateway.local-issuer.users.w1.tenant=t3",
    "kb.gateway.local-issuer.users.x1.password=demo", "kb.gateway.local-issuer.users.x1.tenant=t4",
})
@AutoConfigureWebTestClient
@ActiveProfiles("local")
@ExtendWith(OutputCaptureExtension.class)
class RateLimitIT {

    static RecordingUpstreams upstreams;

    @Autowired
    WebTestClient client;

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
    void aUserPastTheirBucketGetsA429WithRetryAfterAndTheNextUserIsUnaffected(CapturedOutput output) {
        String u1 = LocalLogin.tokenFor(client, "u1");
        double refusedBefore = refusedSearches();
        for (int i = 1; i <= 3; i++) {
            search(u1).expectStatus().isOk()
                    .expectHeader().valueEquals(RateLimitFilter.LIMIT, "3")
                    .expectHeader().valueEquals(RateLimitFilter.REMAINING, Integer.toString(3 - i));
        }

        search(u1).expectStatus().isEqualTo(429)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER,
                        v -> assertThat(Long.parseLong(v)).isBetween(1L, 3600L))
                .expectHeader().valueEquals(RateLimitFilter.REMAINING, "0")
                .expectHeader().exists(RateLimitFilter.RESET)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:kb:problem:rate-limited")
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.limit").isEqualTo("user")
                .jsonPath("$.requestId").isEqualTo("limited-1");
        assertThat(upstreams.seen()).hasSize(3);

        search(LocalLogin.tokenFor(client, "u2")).expectStatus().isOk();
        assertThat(upstreams.seen()).hasSize(4);

        assertThat(refusedSearches()).isEqualTo(refusedBefore + 1);
        assertThat(output).contains("requestId=limited-1 method=POST path=/api/v1/search route=search status=429")
                .contains("user=u1 tenant=t1")
                .doesNotContain(u1);
    }

    @Test
    void aTenantPastItsBucketIsRefusedForAllItsUsersAndNoOtherTenant() {
        String v1 = LocalLogin.tokenFor(client, "v1");
        String v2 = LocalLogin.tokenFor(client, "v2");
        for (int i = 0; i < 3; i++) {
            search(v1).expectStatus().isOk();
        }
        search(v2).expectStatus().isOk();
        search(v2).expectStatus().isOk();

        // v2 has a token left in its own bucket; the tenant has none.
        search(v2).expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.limit").isEqualTo("tenant");
        search(LocalLogin.tokenFor(client, "v3")).expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.limit").isEqualTo("tenant");
        assertThat(upstreams.seen()).hasSize(5);

        search(LocalLogin.tokenFor(client, "w1")).expectStatus().isOk();
    }

    @Test
    void theOpenAiApiIsRefusedInOpenAisErrorShapeWithTheSameHeaders() {
        String x1 = LocalLogin.tokenFor(client, "x1");
        for (int i = 0; i < 3; i++) {
            completion(x1).expectStatus().isOk();
        }

        completion(x1).expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, v -> assertThat(Long.parseLong(v)).isPositive())
                .expectHeader().valueEquals(RateLimitFilter.REMAINING, "0")
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("requests")
                .jsonPath("$.error.code").isEqualTo("rate_limit_exceeded")
                .jsonPath("$.error.message").value(m -> assertThat(m.toString()).contains("try again in"));
        assertThat(upstreams.seen()).hasSize(3);
    }

    private WebTestClient.ResponseSpec completion(String token) {
        return client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .bodyValue("{\"model\":\"kb\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").exchange();
    }

    @Test
    void loginProbesAndTheKeySetAreNeverLimited() {
        for (int i = 0; i < 10; i++) {
            LocalLogin.tokenFor(client, "w1");
            client.get().uri("/actuator/health").exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist(RateLimitFilter.LIMIT);
            client.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk();
        }
    }

    private double refusedSearches() {
        var timer = meters.find("kb.gateway.requests").tags("route", "search", "outcome", "CLIENT_ERROR", "status", "429")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private WebTestClient.ResponseSpec search(String token) {
        return client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("X-Request-Id", "limited-1")
                .bodyValue("{\"query\":\"q\"}").exchange();
    }
}
