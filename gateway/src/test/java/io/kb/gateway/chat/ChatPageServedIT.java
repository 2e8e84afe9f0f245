package io.kb.gateway.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.gateway.LocalLogin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The chat page and its assets are open to anyone, and come with a policy that lets them run only their own code. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class ChatPageServedIT {

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        LocalLogin.useTemporaryKeyFile(registry);
    }

    @Test
    void servesThePageAtTheRootWithoutATokenAndForbidsInlineScripts() {
        String csp = client.get().uri("/").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectBody(String.class).value(html -> assertThat(html).contains("<script type=\"module\" src=\"/chat/chat.js\">"))
                .returnResult().getResponseHeaders().getFirst("Content-Security-Policy");

        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                "object-src 'none'");
        assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval");
    }

    @Test
    void servesTheScriptsAndStylesWithoutAToken() {
        for (String asset : new String[] {"/chat/chat.js", "/chat/messages.js", "/chat/chat.css", "/chat/icon.svg"}) {
            client.get().uri(asset).exchange()
                    .expectStatus().isOk()
                    .expectHeader().exists("Content-Security-Policy");
        }
        client.get().uri("/chat/chat.js").exchange()
                .expectHeader().contentTypeCompatibleWith("text/javascript");
    }

    @Test
    void theApisBehindThePageStillNeedAToken() {
        client.post().uri("/api/v1/answers/stream").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"question\":\"hi\"}").exchange()
                .expectStatus().isUnauthorized();
    }
}
