package io.kb.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Logging in to the gateway's local issuer, as a client would, for tests that call the protected APIs. */
public final class LocalLogin {

    private LocalLogin() {
    }

    /** Gives the test's gateway a signing key file of its own, in a fresh temporary folder. */
    public static Path useTemporaryKeyFile(DynamicPropertyRegistry registry) {
        try {
            Path file = Files.createTempDirectory("kb-gateway-test").resolve("keys/local-issuer.jwk.json");
            registry.add("kb.gateway.local-issuer.key-file", file::toString);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bearer token for a demo user of the local profile (password {@code demo}), from {@code POST /auth/token}. */
    public static String tokenFor(WebTestClient client, String user) {
        return client.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\":\"" + user + "\",\"password\":\"demo\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(TokenBody.class).returnResult().getResponseBody().access_token();
    }

    /** The part of the token response that the tests need. */
    record TokenBody(String access_token) {
    }
}
