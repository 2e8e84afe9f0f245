package io.kb.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/** Where the keys come from and when: services start before the issuer, and refuse to start without a key source. */
class TokenKeysIT {

    private static final String JWK_SET_URI = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri";
    private static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = TestIssuer.sign(TestIssuer.newKey(),
            TestIssuer.claims("alice", "acme", List.of()).build());

    @Test
    void startsWithoutFetchingTheKeysAndFetchesThemAtTheFirstToken() throws Exception {
        try (TestIssuer issuer = TestIssuer.start();
                ConfigurableApplicationContext app = start(JWK_SET_URI + "=" + issuer.jwkSetUri(),
                        "kb.security.issuer=" + TestIssuer.ISSUER)) {
            assertThat(issuer.keyRequests()).isZero();

            String valid = issuer.sign(TestIssuer.claims("alice", "acme", List.of()).build());
            assertThat(get(app, valid).statusCode()).isEqualTo(200);
            assertThat(issuer.keyRequests()).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableKeySetIsA502ProblemNotA401() throws Exception {
        try (ConfigurableApplicationContext app = start(JWK_SET_URI + "=http://127.0.0.1:" + closedPort() + "/jwks.json")) {
            assertUpstreamUnavailable(get(app, token));
        }
    }

    @Test
    void anUnreachableIssuerStillLetsTheServiceStartAndIsA502Problem() throws Exception {
        try (ConfigurableApplicationContext app = start(ISSUER_URI + "=http://127.0.0.1:" + closedPort() + "/realms/kb")) {
            assertUpstreamUnavailable(get(app, token));
        }
    }

    @Test
    void refusesToStartWithoutAKeySource() {
        assertThatThrownBy(() -> start().close())
                .hasStackTraceContaining("No bearer-token decoder is configured");
    }

    private void assertUpstreamUnavailable(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(JsonMapper.builder().build().readTree(r.body()).path("type").asString())
                .isEqualTo("urn:kb:problem:upstream-unavailable");
        assertThat(r.body()).doesNotContain("127.0.0.1");
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(ServletSecurityIT.SecuredApp.class, ServletSecurityIT.CallerController.class)
                .properties("server.port=0", "spring.application.name=keys-test")
                .properties(properties)
                .run();
    }

    private HttpResponse<String> get(ConfigurableApplicationContext app, String bearer) throws Exception {
        int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/whoami"))
                .header("Authorization", "Bearer " + bearer).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
