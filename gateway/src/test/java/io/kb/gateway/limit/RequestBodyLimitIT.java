package io.kb.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.kb.gateway.LocalLogin;
import io.kb.gateway.RecordingUpstreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** Body limits of 1 KiB for the JSON APIs and 4 KiB for documents, with bodies sized and chunked by the tests. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "kb.gateway.request-body.max-size=1KB", "kb.gateway.request-body.routes.documents=4KB",
})
@AutoConfigureWebTestClient
@ActiveProfiles("local")
class RequestBodyLimitIT {

    static RecordingUpstreams upstreams;

    @Autowired
    WebTestClient client;

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
    void logIn() {
        client = client.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + LocalLogin.tokenFor(client, "alice"))
                .build();
        upstreams.forget();
    }

    @Test
    void aBodyWhoseContentLengthIsOverTheLimitIsA413AndReachesNoService() {
        client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(1025)).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:kb:problem:payload-too-large")
                .jsonPath("$.maxBytes").isEqualTo(1024);
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413AndNoServiceReceivesIt() {
        client.post().uri("/api/v1/answers").contentType(MediaType.APPLICATION_JSON)
                .body(chunks(8, 512), DataBuffer.class).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.type").isEqualTo("urn:kb:problem:payload-too-large");
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void anOversizedChatCompletionIsA413InOpenAisErrorShape() {
        client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(1025)).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("invalid_request_error")
                .jsonPath("$.error.code").isEqualTo("payload_too_large")
                .jsonPath("$.error.message").value(m -> assertThat(m.toString()).contains("1024"));
        client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .body(chunks(8, 512), DataBuffer.class).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.error.code").isEqualTo("payload_too_large");
        assertThat(upstreams.seen()).isEmpty();
    }

    @Test
    void bodiesWithinTheRoutesLimitPassWholeWithOrWithoutALength() {
        client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(1024)).exchange()
                .expectStatus().isOk();
        client.post().uri("/api/v1/search").contentType(MediaType.APPLICATION_JSON)
                .body(chunks(2, 512), DataBuffer.class).exchange()
                .expectStatus().isOk();
        // The documents route has a limit of its own.
        client.post().uri("/api/v1/documents").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(4096)).exchange()
                .expectStatus().isOk();
        client.post().uri("/api/v1/documents").contentType(MediaType.APPLICATION_JSON)
                .body(chunks(8, 512), DataBuffer.class).exchange()
                .expectStatus().isOk();

        assertThat(upstreams.seen()).extracting(s -> s.body().length()).containsExactly(1024, 1024, 4096, 4096);
        assertThat(upstreams.seen().get(1).header(HttpHeaders.CONTENT_LENGTH)).as("sent chunked").isEmpty();
    }

    /** A JSON string of exactly {@code length} bytes. */
    private static String json(int length) {
        return "\"" + "x".repeat(length - 2) + "\"";
    }

    /** {@code count} chunks of {@code size} bytes, sent without a Content-Length. */
    private static Flux<DataBuffer> chunks(int count, int size) {
        return Flux.range(0, count).map(i -> DefaultDataBufferFactory.sharedInstance
                .wrap("y".repeat(size).getBytes(StandardCharsets.UTF_8)));
    }
}
