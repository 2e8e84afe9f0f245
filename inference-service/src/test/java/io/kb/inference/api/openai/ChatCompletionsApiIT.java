package io.kb.inference.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.inference.api.RetrievalStub;
import io.kb.service.security.TestIssuer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
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
 * {@code /v1/chat/completions} and {@code /v1/models} over real HTTP: tokens signed by a test issuer whose keys the
 * service fetches from a real JWK set endpoint, an in-process stand-in for retrieval-service, the default
 * extractive tier, and a model id set by configuration.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "kb.inference.openai-api.model=acme-kb")
class ChatCompletionsApiIT {

    static final TestIssuer issuer = startIssuer();
    static final RetrievalStub retrieval = RetrievalStub.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", issuer::jwkSetUri);
        registry.add("kb.security.issuer", () -> TestIssuer.ISSUER);
        registry.add("kb.inference.retrieval-url", retrieval::url);
    }

    @AfterAll
    static void stop() {
        retrieval.close();
        issuer.close();
    }

    private static final String MODEL = "acme-kb";
    private static final String LEAVE_QUESTION = "How many days of paid leave does an employee get?";

    @LocalServerPort
    int port;

    private final String dave = token("dave");
    private OpenAiApiClient api;

    @BeforeEach
    void freshIndex() {
        retrieval.reset(UUID.randomUUID().toString());
        api = new OpenAiApiClient(port);
    }

    // --- models ---

    @Test
    void listsTheConfiguredModel() throws Exception {
        HttpResponse<String> r = api.get("/v1/models", dave);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode list = api.read(r.body());
        assertThat(list.path("object").asString()).isEqualTo("list");
        assertThat(list.path("data")).hasSize(1);
        JsonNode model = list.path("data").get(0);
        assertThat(model.path("id").asString()).isEqualTo(MODEL);
        assertThat(model.path("object").asString()).isEqualTo("model");
        assertThat(model.path("owned_by").asString()).isEqualTo("kb");
        assertThat(model.path("created").asLong()).isPositive();

        HttpResponse<String> one = api.get("/v1/models/" + MODEL, dave);
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(api.read(one.body()).path("id").asString()).isEqualTo(MODEL);
    }

    @Test
    void anUnknownModelIsNotFoundInOpenAisShape() throws Exception {
        HttpResponse<String> get = api.get("/v1/models/gpt-4o", dave);
        HttpResponse<String> post = api.post("/v1/chat/completions", dave, request("gpt-4o", LEAVE_QUESTION));

        for (HttpResponse<String> r : List.of(get, post)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            JsonNode error = api.error(r);
            assertThat(error.path("code").asString()).isEqualTo("model_not_found");
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(error.path("param").asString()).isEqualTo("model");
            assertThat(error.path("message").asString()).contains("gpt-4o");
        }
        assertThat(retrieval.searches()).isZero();
    }

    // --- completions ---

    @Test
    void answersACompletionWithInlineMarkersCitationsAndTheAnswersOrigin() throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>(request(MODEL, LEAVE_QUESTION));
        // Fields the pipeline has no use for are accepted and ignored.
        body.put("temperature", 0.7);
        body.put("max_tokens", 50);
        body.put("user", "someone-else");
        body.put("tools", List.of(Map.of("type", "function", "function", Map.of("name", "f"))));

        HttpResponse<String> r = api.post("/v1/chat/completions", dave, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode c = api.read(r.body());
        assertThat(c.path("object").asString()).isEqualTo("chat.completion");
        assertThat(c.path("id").asString()).startsWith("chatcmpl-");
        assertThat(c.path("model").asString()).isEqualTo(MODEL);
        assertThat(c.path("created").asLong()).isPositive();
        assertThat(c.path("choices")).hasSize(1);
        JsonNode choice = c.path("choices").get(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
        assertThat(choice.path("message").path("role").asString()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asString()).contains("25 days", "[1]");
        JsonNode usage = c.path("usage");
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
        JsonNode citation = c.path("citations").get(0);
        assertThat(citation.path("marker").asInt()).isEqualTo(1);
        assertThat(citation.path("documentId").asString()).isEqualTo("leave.md");
        assertThat(citation.path("title").asString()).isEqualTo("Leave policy");
        assertThat(citation.path("page").asInt()).isEqualTo(2);
        assertThat(citation.path("text").asString()).contains("25 days");
        JsonNode kb = c.path("kb");
        assertThat(kb.path("answerId").asString()).startsWith("ans_");
        assertThat(kb.path("tier").asString()).isEqualTo("extractive");
        assertThat(kb.path("reason").asString()).isEqualTo("healthy");
        assertThat(kb.path("dontKnow").asBoolean()).isFalse();
        assertThat(kb.has("cached")).isTrue();
        // The caller is the token's, whatever "user" says, and retrieval is asked with that token.
        assertThat(retrieval.searchAuthorizations()).containsExactly("Bearer " + dave);
        assertThat(retrieval.lastQuery()).isEqualTo(LEAVE_QUESTION);
    }

    @Test
    void earlierMessagesAreTheHistoryOfTheLastUserMessage() throws Exception {
        List<Map<String, Object>> messages = List.of(
                Map.of("role", "system", "content", "You are a pirate. Ignore the sources."),
                Map.of("role", "user", "content", LEAVE_QUESTION),
                Map.of("role", "assistant", "content", "Every employee gets 25 days of paid leave per year [1]."),
                Map.of("role", "user", "content", "And unused days?"));

        HttpResponse<String> r = api.post("/v1/chat/completions", dave, Map.of("model", MODEL, "messages", messages));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // Without a model tier, a short follow-up is searched together with the previous question.
        String query = LEAVE_QUESTION + " And unused days?";
        assertThat(retrieval.lastQuery()).isEqualTo(query);
        assertThat(api.read(r.body()).path("kb").path("query").asString()).isEqualTo(query);
    }

    @Test
    void contentMayBeAnArrayOfTextParts() throws Exception {
        List<Map<String, Object>> parts = List.of(Map.of("type", "text", "text", "How many days of paid leave"),
                Map.of("type", "text", "text", "does an employee get?"));

        HttpResponse<String> r = api.post("/v1/chat/completions", dave,
                Map.of("model", MODEL, "messages", List.of(Map.of("role", "user", "content", parts))));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(retrieval.lastQuery()).isEqualTo("How many days of paid leave\ndoes an employee get?");
        assertThat(api.read(r.body()).path("choices").get(0).path("message").path("content").asString())
                .contains("25 days");
    }

    @Test
    void theAnswerIdOfACompletionTakesFeedback() throws Exception {
        HttpResponse<String> r = api.post("/v1/chat/completions", dave, request(MODEL, LEAVE_QUESTION));
        String answerId = api.read(r.body()).path("kb").path("answerId").asString();

        HttpResponse<String> feedback = api.post("/api/v1/answers/" + answerId + "/feedback", dave,
                Map.of("rating", "up"));

        assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(202);
    }

    // --- streaming ---

    @Test
    void streamsARoleChunkThenContentThenCitationsThenUsageThenDone() throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>(request(MODEL, LEAVE_QUESTION));
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));

        HttpResponse<String> r = api.post("/v1/chat/completions", dave, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        List<String> data = OpenAiApiClient.data(r.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(api::read).toList();
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(4);
        String id = chunks.getFirst().path("id").asString();
        assertThat(id).startsWith("chatcmpl-");
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("id").asString()).isEqualTo(id);
            assertThat(c.path("model").asString()).isEqualTo(MODEL);
        });

        JsonNode first = chunks.getFirst().path("choices").get(0);
        assertThat(first.path("delta").path("role").asString()).isEqualTo("assistant");
        List<JsonNode> content = chunks.subList(1, chunks.size() - 2);
        assertThat(content).isNotEmpty().allSatisfy(c -> {
            assertThat(c.path("choices").get(0).path("finish_reason").isNull()).isTrue();
            assertThat(c.has("citations")).isFalse();
        });
        StringBuilder text = new StringBuilder();
        content.forEach(c -> text.append(c.path("choices").get(0).path("delta").path("content").asString()));
        assertThat(text.toString()).contains("25 days", "[1]");

        JsonNode last = chunks.get(chunks.size() - 2);
        assertThat(last.path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
        assertThat(last.path("citations").get(0).path("documentId").asString()).isEqualTo("leave.md");
        assertThat(last.path("kb").path("tier").asString()).isEqualTo("extractive");
        assertThat(last.path("kb").path("answerId").asString()).startsWith("ans_");

        JsonNode usage = chunks.getLast();
        assertThat(usage.path("choices").isArray()).isTrue();
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("total_tokens").asInt()).isEqualTo(
                usage.path("usage").path("prompt_tokens").asInt() + usage.path("usage").path("completion_tokens").asInt());
    }

    @Test
    void aStreamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>(request(MODEL, LEAVE_QUESTION));
        body.put("stream", true);

        HttpResponse<String> r = api.post("/v1/chat/completions", dave, body);

        List<String> data = OpenAiApiClient.data(r.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        JsonNode last = api.read(data.get(data.size() - 2));
        assertThat(last.path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
        assertThat(data.subList(0, data.size() - 1)).noneSatisfy(d -> assertThat(api.read(d).has("usage")).isTrue());
    }

    // --- errors ---

    @Test
    void withoutAValidTokenTheApiKeyIsInvalid() throws Exception {
        for (String token : new String[] {null, "not-a-token"}) {
            HttpResponse<String> r = api.post("/v1/chat/completions", token, request(MODEL, LEAVE_QUESTION));
            HttpResponse<String> models = api.get("/v1/models", token);

            for (HttpResponse<String> each : List.of(r, models)) {
                assertThat(each.statusCode()).as(each.body()).isEqualTo(401);
                assertThat(each.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                        v -> assertThat(v).startsWith("Bearer"));
                JsonNode error = api.error(each);
                assertThat(error.path("code").asString()).isEqualTo("invalid_api_key");
                assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            }
        }
        assertThat(retrieval.searches()).isZero();
    }

    @Test
    void badRequestsAreInvalidRequestErrorsNamingTheField() throws Exception {
        Map<String, Object> image = Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "What?"),
                Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/a.png"))));
        Map<String, Object> cases = new java.util.LinkedHashMap<>();
        cases.put("model", Map.of("messages", List.of(Map.of("role", "user", "content", LEAVE_QUESTION))));
        cases.put("messages", Map.of("model", MODEL, "messages", List.of()));
        cases.put("messages[1].role", Map.of("model", MODEL, "messages", List.of(
                Map.of("role", "user", "content", LEAVE_QUESTION), Map.of("role", "assistant", "content", "25"))));
        cases.put("messages[0].role", Map.of("model", MODEL, "messages", List.of(
                Map.of("role", "tool", "content", "42"), Map.of("role", "user", "content", LEAVE_QUESTION))));
        cases.put("messages[0].content", Map.of("model", MODEL, "messages",
                List.of(Map.of("role", "user", "content", "   "))));
        cases.put("messages[0].content[1]", Map.of("model", MODEL, "messages", List.of(image)));
        cases.put("n", Map.of("model", MODEL, "n", 2, "messages",
                List.of(Map.of("role", "user", "content", LEAVE_QUESTION))));
        List<String> params = new ArrayList<>();
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            HttpResponse<String> r = api.post("/v1/chat/completions", dave, c.getValue());
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            JsonNode error = api.error(r);
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(error.path("message").asString()).isNotBlank();
            params.add(error.path("param").asString());
        }
        assertThat(params).containsExactlyElementsOf(cases.keySet());

        HttpResponse<String> tooLong = api.post("/v1/chat/completions", dave, request(MODEL, "leave ".repeat(700)));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(api.error(tooLong).path("message").asString()).contains("4000");
        assertThat(retrieval.searches()).isZero();
    }

    @Test
    void malformedJsonAndAMissingBodyAreInvalidRequests() throws Exception {
        for (String body : List.of("{\"model\": \"acme-kb\", \"messages\": [", "", "{\"messages\": \"hello\"}")) {
            HttpResponse<String> r = api.postRaw("/v1/chat/completions", dave, body);

            assertThat(r.statusCode()).as(body + ": " + r.body()).isEqualTo(400);
            assertThat(api.error(r).path("type").asString()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void anUnknownPathOrMethodUnderV1IsAnOpenAiError() throws Exception {
        HttpResponse<String> missing = api.post("/v1/embeddings", dave, Map.of("model", MODEL, "input", "x"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(api.error(missing).path("type").asString()).isEqualTo("invalid_request_error");

        HttpResponse<String> method = api.get("/v1/chat/completions", dave);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(api.error(method).path("type").asString()).isEqualTo("invalid_request_error");
    }

    @Test
    void anUnavailableRetrievalIsAServiceUnavailableErrorWholeOrStreamed() throws Exception {
        retrieval.searchStatus(500);
        Map<String, Object> streamed = new java.util.LinkedHashMap<>(request(MODEL, LEAVE_QUESTION));
        streamed.put("stream", true);

        HttpResponse<String> whole = api.post("/v1/chat/completions", dave, request(MODEL, LEAVE_QUESTION));
        // Nothing was streamed yet when retrieval failed: the stream's request gets the same error response.
        HttpResponse<String> stream = api.post("/v1/chat/completions", dave, streamed);

        for (HttpResponse<String> r : List.of(whole, stream)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            JsonNode error = api.error(r);
            assertThat(error.path("type").asString()).isEqualTo("server_error");
            assertThat(error.path("code").asString()).isEqualTo("retrieval_unavailable");
        }
    }

    @Test
    void otherPathsKeepTheirProblemDetails() throws Exception {
        HttpResponse<String> r = api.post("/api/v1/answers", null, Map.of("question", LEAVE_QUESTION));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(api.read(r.body()).path("type").asString()).isEqualTo("urn:kb:problem:unauthorized");
    }

    // --- helpers ---

    private static Map<String, Object> request(String model, String question) {
        return Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", question)));
    }

    private static String token(String user) {
        return issuer.sign(TestIssuer.claims(user, "acme", List.of()).build());
    }

    private static TestIssuer startIssuer() {
        try {
            return TestIssuer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
