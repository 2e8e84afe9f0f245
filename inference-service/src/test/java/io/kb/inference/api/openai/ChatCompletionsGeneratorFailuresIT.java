package io.kb.inference.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.inference.api.RetrievalStub;
import io.kb.inference.generate.openai.ScriptedChatCompletionsServer;
import io.kb.inference.generate.openai.ScriptedChatCompletionsServer.Reply;
import io.kb.service.security.TestIssuer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/chat/completions} when the generator fails, over real HTTP: the only tier is an OpenAI-compatible model
 * served by an in-process scripted server, so that it can fail before its first token (every tier unavailable),
 * midway (the answer cut off), or be left by a reader that goes away.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "kb.inference.cache.enabled=false")
class ChatCompletionsGeneratorFailuresIT {

    static final TestIssuer issuer = startIssuer();
    static final RetrievalStub retrieval = RetrievalStub.start();
    static final ScriptedChatCompletionsServer model = ScriptedChatCompletionsServer.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", issuer::jwkSetUri);
        registry.add("kb.security.issuer", () -> TestIssuer.ISSUER);
        registry.add("kb.inference.retrieval-url", retrieval::url);
        // All of the list in one property source: Boot binds a list from one source only.
        registry.add("kb.inference.tiers[0].name", () -> "primary");
        registry.add("kb.inference.tiers[0].type", () -> "openai");
        registry.add("kb.inference.tiers[0].openai.base-url", model::baseUrl);
        registry.add("kb.inference.tiers[0].openai.model", () -> "scripted-model");
        // A circuit that never opens in these few calls: each test meets the tier itself.
        registry.add("kb.inference.tiers[0].window", () -> "100");
        registry.add("kb.inference.tiers[0].minimum-calls", () -> "100");
        registry.add("kb.inference.tiers[0].first-token-timeout", () -> "5s");
    }

    @AfterAll
    static void stop() {
        model.close();
        retrieval.close();
        issuer.close();
    }

    private static final String QUESTION = "How many days of paid leave does an employee get?";

    @LocalServerPort
    int port;

    private final String dave = issuer.sign(TestIssuer.claims("dave", "acme", List.of()).build());
    private OpenAiApiClient api;

    @BeforeEach
    void fresh() {
        retrieval.reset(UUID.randomUUID().toString());
        api = new OpenAiApiClient(port);
    }

    @Test
    void aModelAnswerIsStreamedWithItsTierAndCitations() throws Exception {
        model.enqueue(Reply.streaming("Every employee gets", " 25 days of paid leave [1]."));

        HttpResponse<String> r = api.post("/v1/chat/completions", dave, request(true));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> data = OpenAiApiClient.data(r.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        data.subList(1, data.size() - 1).forEach(d -> text.append(
                api.read(d).path("choices").path(0).path("delta").path("content").asString("")));
        assertThat(text.toString()).isEqualTo("Every employee gets 25 days of paid leave [1].");
        JsonNode last = api.read(data.get(data.size() - 2));
        assertThat(last.path("kb").path("tier").asString()).isEqualTo("primary");
        assertThat(last.path("citations").get(0).path("documentId").asString()).isEqualTo("leave.md");
    }

    @Test
    void noTierAbleToAnswerIsServiceUnavailableWholeOrStreamed() throws Exception {
        model.enqueue(Reply.error(503, "model is loading", "service_unavailable"));
        model.enqueue(Reply.error(503, "model is loading", "service_unavailable"));

        HttpResponse<String> whole = api.post("/v1/chat/completions", dave, request(false));
        HttpResponse<String> stream = api.post("/v1/chat/completions", dave, request(true));

        for (HttpResponse<String> r : List.of(whole, stream)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            JsonNode error = api.error(r);
            assertThat(error.path("type").asString()).isEqualTo("server_error");
            assertThat(error.path("code").asString()).isEqualTo("no_tier_available");
        }
    }

    @Test
    void anAnswerCutOffMidwayIsABadGatewayOrEndsTheStreamWithAnError() throws Exception {
        model.enqueue(Reply.streaming("Every employee gets", " 25 days").cutOffAfterPieces());
        model.enqueue(Reply.streaming("Every employee gets", " 25 days").cutOffAfterPieces());

        HttpResponse<String> whole = api.post("/v1/chat/completions", dave, request(false));
        HttpResponse<String> stream = api.post("/v1/chat/completions", dave, request(true));

        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(502);
        assertThat(api.error(whole).path("code").asString()).isEqualTo("answer_interrupted");

        // The stream had begun: it ends with an error event in OpenAI's shape, then [DONE].
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> data = OpenAiApiClient.data(stream.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        JsonNode first = api.read(data.getFirst());
        assertThat(first.path("choices").get(0).path("delta").path("role").asString()).isEqualTo("assistant");
        JsonNode error = api.read(data.get(data.size() - 2)).path("error");
        assertThat(error.path("type").asString()).isEqualTo("server_error");
        assertThat(error.path("code").asString()).isEqualTo("answer_interrupted");
        assertThat(error.has("param")).isTrue();
        assertThat(data.subList(0, data.size() - 2)).noneSatisfy(d -> assertThat(d).contains("finish_reason\":\"stop"));
    }

    @Test
    void aReaderThatGoesAwayCancelsTheGeneration() throws Exception {
        String[] pieces = Collections.nCopies(200, " leave").toArray(String[]::new);
        pieces[0] = "Every employee gets 25 days [1].";
        model.enqueue(Reply.streaming(pieces).withChunkDelay(Duration.ofMillis(50)));
        HttpRequest request = HttpRequest.newBuilder(api.uri("/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + dave)
                .POST(HttpRequest.BodyPublishers.ofString(api.json(request(true))))
                .build();

        HttpResponse<InputStream> r = api.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream body = r.body()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            int contentChunks = 0;
            for (String line = lines.readLine(); line != null && contentChunks < 2; line = lines.readLine()) {
                contentChunks += line.contains("\"content\":\"") && !line.contains("\"role\"") ? 1 : 0;
            }
            assertThat(contentChunks).as("the answer had begun to stream").isEqualTo(2);
        }

        assertThat(model.awaitClientDisconnect(Duration.ofSeconds(10)))
                .as("the model's stream was dropped once the reader had gone").isTrue();
    }

    private static Map<String, Object> request(boolean stream) {
        return Map.of("model", "kb", "stream", stream,
                "messages", List.of(Map.of("role", "user", "content", QUESTION)));
    }

    private static TestIssuer startIssuer() {
        try {
            return TestIssuer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
