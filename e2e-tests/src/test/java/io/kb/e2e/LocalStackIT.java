package io.kb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.kb.cli.ingest.Ingestion;
import io.kb.cli.ingest.SampleKnowledgeBase;
import io.kb.cli.stack.LocalStack;
import io.kb.cli.stack.ManagedProcess;
import io.kb.cli.stack.StackListener;
import io.kb.cli.stack.StackPorts;
import io.kb.cli.stack.StackState;
import io.kb.contracts.Topics;
import io.kb.contracts.event.DocumentEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack as {@code kb up} runs it (same launcher, packaged jars, a real Kafka broker from Kafka's jars),
 * on free ports and a home of its own, so that it can run beside a developer's {@code kb up}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final List<String> SERVICES =
            List.of("gateway", "inference-service", "retrieval-service", "embedding-service", "ingest-service");
    private static final List<String> MVC_SERVICES = SERVICES.subList(1, SERVICES.size());

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    private static Path root;
    private static LocalStack stack;
    private static StackState started;

    @BeforeAll
    static void startStack() {
        root = Path.of(System.getProperty("kb.root", "..")).toAbsolutePath().normalize();
        Path home = root.resolve("e2e-tests/target/stack-home");
        stack = new LocalStack(root, home, StackPorts.ephemeral());
        started = stack.start(new PrintingListener(), Duration.ofMinutes(4));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.stop(StackListener.SILENT);
        }
    }

    @Test
    @Order(1)
    void everyServiceIsLiveAndReady() throws Exception {
        for (String service : SERVICES) {
            for (String probe : List.of("liveness", "readiness")) {
                HttpResponse<String> r = get(stack.url(service).resolve("/actuator/health/" + probe), Map.of());
                assertThat(r.statusCode()).as(service + " " + probe).isEqualTo(200);
                assertThat(json.readTree(r.body()).path("status").asString()).as(service + " " + probe).isEqualTo("UP");
            }
        }
    }

    @Test
    @Order(2)
    void everyServiceExposesPrometheusMetricsTaggedWithItsName() throws Exception {
        for (String service : SERVICES) {
            HttpResponse<String> r = get(stack.url(service).resolve("/actuator/prometheus"), Map.of());
            assertThat(r.statusCode()).as(service).isEqualTo(200);
            assertThat(r.body()).as(service)
                    .contains("jvm_memory_used_bytes")
                    .contains("application=\"" + service + "\"");
        }
    }

    @Test
    @Order(3)
    void brokerIsReachableAndHoldsTheContractTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertThat(topics).containsAll(Topics.ALL);
            ConfigResource status = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INGEST_STATUS);
            Config config = admin.describeConfigs(List.of(status)).all().get(10, TimeUnit.SECONDS).get(status);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    @Order(4)
    void unknownPathsGetProblemDetailsCarryingTheCallersRequestId() throws Exception {
        for (String service : SERVICES) {
            String id = "e2e-" + service;
            HttpResponse<String> r = get(stack.url(service).resolve("/no/such/path"),
                    Map.of("X-Request-Id", id, "Authorization", "Bearer " + token("alice")));
            assertThat(r.statusCode()).as(service).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).as(service).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(r.headers().allValues("X-Request-Id")).as(service).contains(id);
            JsonNode problem = json.readTree(r.body());
            assertThat(problem.path("type").asString()).as(service).isEqualTo("urn:kb:problem:not-found");
            assertThat(problem.path("status").asInt()).as(service).isEqualTo(404);
            assertThat(problem.path("requestId").asString()).as(service).isEqualTo(id);
        }
    }

    @Test
    @Order(5)
    void everyServiceRefusesCallsWithoutAValidTokenWithAProblem() throws Exception {
        for (String service : SERVICES) {
            for (String authorization : List.of("", "Bearer not-a-token")) {
                Map<String, String> headers = authorization.isEmpty() ? Map.of() : Map.of("Authorization", authorization);
                HttpResponse<String> r = get(stack.url(service).resolve("/api/v1/anything"), headers);
                assertThat(r.statusCode()).as(service + " " + authorization).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).as(service).hasValueSatisfying(
                        v -> assertThat(v).startsWith("Bearer"));
                assertThat(json.readTree(r.body()).path("type").asString()).as(service)
                        .isEqualTo("urn:kb:problem:unauthorized");
            }
        }
    }

    @Test
    @Order(6)
    void malformedRequestIdsAreReplacedNotEchoed() throws Exception {
        for (String hostile : List.of("x".repeat(300), "abc def=1 level=ERROR", "id/../etc")) {
            for (String service : SERVICES) {
                HttpResponse<String> r = get(stack.url(service).resolve("/no/such/path"),
                        Map.of("X-Request-Id", hostile, "Authorization", "Bearer " + token("alice")));
                List<String> ids = r.headers().allValues("X-Request-Id");
                assertThat(ids).as(service).isNotEmpty().doesNotContain(hostile)
                        .allSatisfy(id -> assertThat(id).hasSizeLessThanOrEqualTo(128).matches("[A-Za-z0-9._:-]+"));
                assertThat(json.readTree(r.body()).path("requestId").asString()).as(service).isIn(ids);
            }
        }
    }

    @Test
    @Order(7)
    void theGatewayRelaysTheTokenAndTheRequestIdToRetrieval() throws Exception {
        HttpResponse<String> r = post(stack.url("gateway").resolve("/api/v1/search"), "{\"query\":\"  \"}",
                Map.of("X-Request-Id", "e2e-through-gateway", "Authorization", "Bearer " + token("dave")));

        // retrieval-service validated the relayed token, then refused the blank query itself.
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode problem = json.readTree(r.body());
        assertThat(problem.path("requestId").asString()).isEqualTo("e2e-through-gateway");
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("query");
    }

    @Test
    @Order(8)
    void theSampleKnowledgeBaseIsIngestedIndexedAndSearchableOnlyByThoseAllowed() throws Exception {
        List<DocumentEvent> samples = SampleKnowledgeBase.under(root).events();
        Ingestion.Result result = new Ingestion(stack.bootstrapServers())
                .publishAndFollow(samples, Duration.ofMinutes(4), outcomes -> { });
        assertThat(result.failed()).isEmpty();
        assertThat(result.pending()).isEmpty();
        assertThat(result.indexed()).isEqualTo(samples.size());

        String salary = "salary band and pay range for grade G5";
        assertThat(documents(search("dave", salary))).doesNotContain("en/hr/salary-bands-2026.md");
        assertThat(documents(search("bob", salary))).doesNotContain("en/hr/salary-bands-2026.md");
        assertThat(documents(search("alice", salary))).contains("en/hr/salary-bands-2026.md");

        String board = "Q3 2026 board summary revenue and acquisition";
        assertThat(documents(search("dave", board))).doesNotContain("en/finance/q3-2026-board-summary.md");
        assertThat(documents(search("carol", board))).first().isEqualTo("en/finance/q3-2026-board-summary.md");

        assertThat(documents(search("dave", "How many days of annual leave can I carry over?")).subList(0, 3))
                .contains("en/hr/annual-leave.md");
        assertThat(documents(search("wang.fang", "未休年假最多可以结转多少天？")).getFirst())
                .isEqualTo("zh/hr/年假制度.md");
        JsonNode hit = search("dave", "economy class flights under six hours").path("hits").get(0);
        assertThat(hit.path("documentId").asString()).isIn("en/finance/travel-expenses.md", "zh/finance/差旅报销制度.md");
        assertThat(hit.path("text").asString()).isNotBlank();
        assertThat(hit.path("title").asString()).isNotBlank();
    }

    @Test
    @Order(9)
    void answersTheSampleQuestionsCitingOnlyWhatTheAskerMayReadAndRefusesTheRest() throws Exception {
        Path kb = root.resolve("samples/knowledge-base");
        Map<String, Set<String>> acls = SampleQuestions.acls(kb);
        int shouldAnswer = 0;
        int answered = 0;
        for (SampleQuestions.Question q : SampleQuestions.read(kb)) {
            JsonNode a = answer(q.user(), q.question(), false);
            String text = a.path("answer").asString();
            Set<String> principals = principalsOf(q.user());
            List<String> cited = new java.util.ArrayList<>();
            a.path("citations").forEach(c -> cited.add(c.path("documentId").asString()));
            System.out.println("[answers] " + q.id() + " " + q.kind() + " tier=" + a.path("tier").asString()
                    + " dontKnow=" + a.path("dontKnow").asBoolean() + " cited=" + cited);
            for (String doc : cited) {
                assertThat(acls.get(doc)).as(q.id() + ": " + q.user() + " was given a citation of " + doc)
                        .isNotNull().containsAnyElementsOf(principals);
                assertThat(text).as(q.id() + ": every marker points at a listed citation").doesNotContain("[0]");
            }
            switch (q.kind()) {
                case "forbidden" -> q.facts().forEach(f -> assertThat(text).as(q.id() + " leaks a fact " + q.user()
                        + " may not read").doesNotContainIgnoringCase(f));
                case "out-of-scope" -> assertThat(a.path("dontKnow").asBoolean()).as(q.id() + ": " + text).isTrue();
                default -> {
                    shouldAnswer++;
                    boolean right = !a.path("dontKnow").asBoolean()
                            && cited.stream().anyMatch(q.documents()::contains)
                            && q.facts().stream().allMatch(f -> text.toLowerCase(java.util.Locale.ROOT)
                                    .contains(f.toLowerCase(java.util.Locale.ROOT)));
                    answered += right ? 1 : 0;
                }
            }
        }
        System.out.println("[answers] extractive tier: " + answered + " of " + shouldAnswer
                + " answerable questions answered with every expected fact and the expected document");
        // The extractive tier quotes sentences and cannot paraphrase or translate; most answers must still be right.
        assertThat(answered).as("answerable questions answered right").isGreaterThanOrEqualTo(shouldAnswer * 3 / 5);
    }

    @Test
    @Order(10)
    void streamsAnAnswerThenServesTheSameQuestionFromTheCacheAndTakesFeedback() throws Exception {
        String question = "How many days of unused annual leave can I carry over?";
        HttpResponse<String> r = post(stack.url("gateway").resolve("/api/v1/answers/stream"),
                json.writeValueAsString(Map.of("question", question)),
                Map.of("Authorization", "Bearer " + token("dave"), "Accept", "text/event-stream"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> events = r.body().lines().filter(l -> l.startsWith("event:"))
                .map(l -> l.substring(6).strip()).toList();
        assertThat(events).as("token events, then citations, then done").last().isEqualTo("done");
        assertThat(events.indexOf("citations")).isEqualTo(events.size() - 2);
        assertThat(events.subList(0, events.size() - 2)).isNotEmpty().containsOnly("token");

        JsonNode again = answer("dave", question, true);
        assertThat(again.path("cached").asBoolean()).as("the repeated question comes from the cache").isTrue();
        assertThat(again.path("answer").asString()).contains("5 days");

        HttpResponse<String> feedback = post(stack.url("gateway").resolve("/api/v1/answers/"
                + again.path("id").asString() + "/feedback"), "{\"rating\":\"up\",\"comment\":\"clear\"}",
                Map.of("Authorization", "Bearer " + token("dave")));
        assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(202);
        HttpResponse<String> metrics = get(stack.url("inference-service").resolve("/actuator/prometheus"), Map.of());
        assertThat(metrics.body()).contains("kb_inference_feedback_total{").contains("kb_inference_cache_total{");
    }

    @Test
    @Order(11)
    void theOfficialOpenAiClientGetsACitedCompletionAndListsTheModel() throws Exception {
        SampleQuestions.Question q = sampleQuestion("a03");
        OpenAIClient openAi = openAiClient(token(q.user()));
        try {
            assertThat(openAi.models().list().data()).extracting(com.openai.models.models.Model::id).contains("kb");

            ChatCompletion completion = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("kb").addSystemMessage("Answer briefly.").addUserMessage(q.question()).build());

            String text = completion.choices().getFirst().message().content().orElseThrow();
            System.out.println("[openai] " + q.id() + " " + text);
            assertThat(text).matches("(?s).*\\[\\d+].*");
            q.facts().forEach(f -> assertThat(text).containsIgnoringCase(f));
            assertThat(completion.choices().getFirst().finishReason())
                    .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            List<Map<String, Object>> citations = completion._additionalProperties().get("citations")
                    .convert(new TypeReference<List<Map<String, Object>>>() { });
            assertThat(citations).extracting(c -> c.get("documentId")).containsAnyElementsOf(q.documents());
            Map<String, Object> kb = completion._additionalProperties().get("kb")
                    .convert(new TypeReference<Map<String, Object>>() { });
            assertThat(kb.get("dontKnow")).isEqualTo(false);
            assertThat(kb.get("answerId").toString()).startsWith("ans_");
        } finally {
            openAi.close();
        }
    }

    @Test
    @Order(12)
    void theOfficialOpenAiClientStreamsACitedCompletion() throws Exception {
        SampleQuestions.Question q = sampleQuestion("a01");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("kb")
                .addUserMessage(q.question())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new java.util.ArrayList<>();
        OpenAIClient openAi = openAiClient(token(q.user()));
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
            });
        } finally {
            openAi.close();
        }

        System.out.println("[openai] streamed " + q.id() + " in " + chunks.size() + " chunks: " + text);
        assertThat(text.toString()).matches("(?s).*\\[\\d+].*");
        q.facts().forEach(f -> assertThat(text.toString()).containsIgnoringCase(f));
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        ChatCompletionChunk last = chunks.stream().filter(c -> !c.choices().isEmpty()).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(last.choices().getFirst().finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        List<Map<String, Object>> citations = last._additionalProperties().get("citations")
                .convert(new TypeReference<List<Map<String, Object>>>() { });
        assertThat(citations).extracting(c -> c.get("documentId")).containsAnyElementsOf(q.documents());
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks.getLast().usage()).isPresent();
    }

    @Test
    @Order(13)
    void theOfficialOpenAiClientIsRefusedWithoutAValidKey() {
        OpenAIClient openAi = openAiClient("not-a-token");
        try {
            assertThatThrownBy(() -> openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("kb").addUserMessage("How many days of annual leave do I get?").build()))
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(401);
                        assertThat(e.code()).contains("invalid_api_key");
                    });
            assertThatThrownBy(() -> openAi.models().list()).isInstanceOf(UnauthorizedException.class);
        } finally {
            openAi.close();
        }
    }

    @Test
    @Order(100)
    void stoppingLeavesNoProcessAndNoOpenPort() {
        stack.stop(StackListener.SILENT);

        assertThat(started.processes()).hasSize(6).noneMatch(ManagedProcess::isAlive);
        assertThat(stack.running()).isEmpty();
        stack.ports().byName().forEach((name, port) ->
                assertThat(StackPorts.isFree(port)).as(name + " port " + port + " is free").isTrue());
    }

    /** A token for a demo user, from the gateway's local issuer (a real login). */
    private static String token(String user) throws Exception {
        HttpResponse<String> r = post(stack.url("gateway").resolve("/auth/token"),
                "{\"username\":\"" + user + "\",\"password\":\"demo\"}", Map.of());
        assertThat(r.statusCode()).as("login of " + user).isEqualTo(200);
        return json.readTree(r.body()).path("access_token").asString();
    }

    /** The official OpenAI client, pointed at the gateway's OpenAI-compatible API with a token as its key. */
    private static OpenAIClient openAiClient(String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(stack.url("gateway").resolve("/v1").toString()).apiKey(apiKey)
                .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
    }

    private static SampleQuestions.Question sampleQuestion(String id) throws Exception {
        return SampleQuestions.read(root.resolve("samples/knowledge-base")).stream()
                .filter(q -> q.id().equals(id)).findFirst().orElseThrow();
    }

    /** An answer through the gateway, as a demo user. */
    private static JsonNode answer(String user, String question, boolean cache) throws Exception {
        HttpResponse<String> r = post(stack.url("gateway").resolve("/api/v1/answers"),
                json.writeValueAsString(Map.of("question", question, "cache", cache)),
                Map.of("Authorization", "Bearer " + token(user)));
        assertThat(r.statusCode()).as(user + " asking " + question + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    /** The principals of a demo user, read from the claims of the token the gateway issues. */
    private static Set<String> principalsOf(String user) throws Exception {
        String payload = token(user).split("\\.")[1];
        JsonNode claims = json.readTree(java.util.Base64.getUrlDecoder().decode(payload));
        Set<String> principals = new java.util.HashSet<>(Set.of("public", "user:" + user));
        claims.path("groups").forEach(g -> principals.add("group:" + g.asString()));
        return principals;
    }

    /** A search through the gateway, as a demo user. */
    private static JsonNode search(String user, String query) throws Exception {
        HttpResponse<String> r = post(stack.url("gateway").resolve("/api/v1/search"),
                json.writeValueAsString(Map.of("query", query, "topK", 10)),
                Map.of("Authorization", "Bearer " + token(user)));
        assertThat(r.statusCode()).as(user + " searching " + query + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static List<String> documents(JsonNode response) {
        List<String> ids = new java.util.ArrayList<>();
        response.path("hits").forEach(h -> ids.add(h.path("documentId").asString()));
        return ids;
    }

    private static HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Shows the stack's start in the test output, which is where a failed start is investigated. */
    private static final class PrintingListener implements StackListener {
        @Override
        public void starting(String component) {
            System.out.println("[stack] starting " + component);
        }

        @Override
        public void ready(String component, Duration sinceStart) {
            System.out.println("[stack] " + component + " ready after " + sinceStart.toMillis() + " ms");
        }

        @Override
        public void waiting(Set<String> pending, Duration sinceStart) {
        }

        @Override
        public void stopped(String component, boolean graceful) {
            System.out.println("[stack] " + component + (graceful ? " stopped" : " killed"));
        }
    }
}
