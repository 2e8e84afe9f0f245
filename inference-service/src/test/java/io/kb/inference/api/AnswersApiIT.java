package io.kb.inference.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.service.security.TestIssuer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/answers} over real HTTP: tokens signed by a test issuer whose keys the service fetches from a real
 * JWK set endpoint, an in-process stand-in for retrieval-service (search and index version, recording the token it
 * is called with), and the default extractive tier.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.health.show-details=always")
class AnswersApiIT {

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

    private static final String LEAVE_QUESTION = "How many days of paid leave does an employee get?";

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String dave = token("dave", "acme", List.of());

    @BeforeEach
    void freshIndex() {
        retrieval.reset(UUID.randomUUID().toString());
    }

    @Test
    void answersWithACitationOfTheRetrievedDocumentUsingTheCallersOwnToken() throws Exception {
        JsonNode a = answer(dave, Map.of("question", LEAVE_QUESTION));

        assertThat(a.path("dontKnow").asBoolean()).isFalse();
        assertThat(a.path("answer").asString()).contains("25 days", "[1]");
        assertThat(a.path("tier").asString()).isEqualTo("extractive");
        assertThat(a.path("reason").asString()).isEqualTo("healthy");
        assertThat(a.path("cached").asBoolean()).isFalse();
        assertThat(a.path("id").asString()).startsWith("ans_");
        JsonNode citation = a.path("citations").get(0);
        assertThat(citation.path("marker").asInt()).isEqualTo(1);
        assertThat(citation.path("documentId").asString()).isEqualTo("leave.md");
        assertThat(citation.path("chunkId").asString()).isEqualTo("leave-0");
        assertThat(citation.path("page").asInt()).isEqualTo(2);
        assertThat(retrieval.searchAuthorizations()).containsExactly("Bearer " + dave);
        assertThat(retrieval.versionAuthorizations()).containsOnly("Bearer " + dave);
        assertThat(retrieval.lastQuery()).isEqualTo(LEAVE_QUESTION);
    }

    @Test
    void aQuestionTheDocumentsDoNotCoverGetsTheRefusalWithoutAnyTier() throws Exception {
        JsonNode a = answer(dave, Map.of("question", "What does parking cost at the Berlin office?"));

        assertThat(a.path("dontKnow").asBoolean()).isTrue();
        assertThat(a.path("tier").asString()).isEqualTo("none");
        assertThat(a.path("reason").asString()).isEqualTo("weak_evidence");
        assertThat(a.path("citations").isEmpty()).isTrue();
        assertThat(a.path("answer").asString()).startsWith("I could not find the answer");
    }

    @Test
    void streamsTokensThenCitationsThenTheWholeAnswer() throws Exception {
        HttpResponse<String> r = post("/api/v1/answers/stream", dave,
                Map.of("question", LEAVE_QUESTION, "cache", false));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        List<Map.Entry<String, JsonNode>> events = events(r.body());
        List<String> names = events.stream().map(Map.Entry::getKey).toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(3);
        assertThat(names.subList(0, names.size() - 2)).containsOnly("token");
        assertThat(names.subList(names.size() - 2, names.size())).containsExactly("citations", "done");
        StringBuilder tokens = new StringBuilder();
        events.stream().filter(e -> e.getKey().equals("token")).forEach(e -> tokens.append(e.getValue().path("text").asString()));
        JsonNode done = events.getLast().getValue();
        assertThat(done.path("tier").asString()).isEqualTo("extractive");
        assertThat(done.path("answer").asString()).contains("[1]");
        assertThat(tokens.toString()).isEqualTo(done.path("answer").asString());
        JsonNode citations = events.get(names.size() - 2).getValue().path("citations");
        assertThat(citations.get(0).path("documentId").asString()).isEqualTo("leave.md");
    }

    @Test
    void aRepeatedQuestionIsAnsweredFromTheCacheWithoutSearchingAgain() throws Exception {
        JsonNode first = answer(dave, Map.of("question", LEAVE_QUESTION));
        JsonNode second = answer(dave, Map.of("question", "  how many days of paid leave does an employee get "));

        assertThat(first.path("cached").asBoolean()).isFalse();
        assertThat(second.path("cached").asBoolean()).isTrue();
        assertThat(second.path("reason").asString()).isEqualTo("cache_hit");
        assertThat(second.path("tier").asString()).isEqualTo("extractive");
        assertThat(second.path("answer").asString()).isEqualTo(first.path("answer").asString());
        assertThat(second.path("citations").get(0).path("documentId").asString()).isEqualTo("leave.md");
        assertThat(second.path("id").asString()).isNotEqualTo(first.path("id").asString());
        assertThat(retrieval.searches()).isEqualTo(1);
    }

    @Test
    void aNewIndexVersionIsNotServedAnAnswerCachedBeforeIt() throws Exception {
        answer(dave, Map.of("question", LEAVE_QUESTION));
        retrieval.version(UUID.randomUUID().toString());

        JsonNode again = answer(dave, Map.of("question", LEAVE_QUESTION));

        assertThat(again.path("cached").asBoolean()).isFalse();
        assertThat(retrieval.searches()).isEqualTo(2);
    }

    @Test
    void aCallerWithOtherGroupsIsNotServedAnotherCallersCachedAnswer() throws Exception {
        String erin = token("erin", "acme", List.of("hr"));
        answer(dave, Map.of("question", LEAVE_QUESTION));

        JsonNode erins = answer(erin, Map.of("question", LEAVE_QUESTION));

        assertThat(erins.path("cached").asBoolean()).isFalse();
        assertThat(retrieval.searches()).isEqualTo(2);
        assertThat(retrieval.searchAuthorizations()).containsExactly("Bearer " + dave, "Bearer " + erin);
    }

    @Test
    void askingNotToUseTheCacheSearchesAgain() throws Exception {
        answer(dave, Map.of("question", LEAVE_QUESTION));

        JsonNode fresh = answer(dave, Map.of("question", LEAVE_QUESTION, "cache", false));

        assertThat(fresh.path("cached").asBoolean()).isFalse();
        assertThat(retrieval.searches()).isEqualTo(2);
    }

    @Test
    void withoutATokenThereIsNoAnswer() throws Exception {
        HttpResponse<String> r = post("/api/v1/answers", null, Map.of("question", LEAVE_QUESTION));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json.readTree(r.body()).path("type").asString()).isEqualTo("urn:kb:problem:unauthorized");
        assertThat(retrieval.searches()).isZero();
    }

    @Test
    void aBlankQuestionIsAProblemNamingTheField() throws Exception {
        HttpResponse<String> r = post("/api/v1/answers", dave, Map.of("question", "   "));

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode problem = json.readTree(r.body());
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("question");
        assertThat(problem.path("detail").asString()).contains("question");
        assertThat(retrieval.searches()).isZero();
    }

    @Test
    void aFailingRetrievalServiceIsAServiceUnavailableProblem() throws Exception {
        retrieval.searchStatus(500);

        HttpResponse<String> r = post("/api/v1/answers", dave, Map.of("question", LEAVE_QUESTION));

        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode problem = json.readTree(r.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:kb:problem:upstream-unavailable");
        assertThat(problem.path("detail").asString()).contains("retrieval");
    }

    @Test
    void aFailingRetrievalServiceEndsAStreamWithAnErrorEvent() throws Exception {
        retrieval.searchStatus(500);

        HttpResponse<String> r = post("/api/v1/answers/stream", dave, Map.of("question", LEAVE_QUESTION));

        List<Map.Entry<String, JsonNode>> events = events(r.body());
        assertThat(events).extracting(Map.Entry::getKey).containsExactly("error");
        assertThat(events.getFirst().getValue().path("status").asInt()).isEqualTo(503);
    }

    @Test
    void theAskerRatesTheirOwnAnswerAndTheRatingIsCounted() throws Exception {
        String id = answer(dave, Map.of("question", LEAVE_QUESTION)).path("id").asString();
        double before = feedbackCount("up", "extractive");

        HttpResponse<String> r = post("/api/v1/answers/" + id + "/feedback", dave,
                Map.of("rating", "up", "comment", "right on"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(feedbackCount("up", "extractive")).isEqualTo(before + 1);
    }

    @Test
    void feedbackOnAnUnknownAnswerIsNotFound() throws Exception {
        HttpResponse<String> r = post("/api/v1/answers/ans_unknown/feedback", dave, Map.of("rating", "down"));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json.readTree(r.body()).path("type").asString()).isEqualTo("urn:kb:problem:not-found");
    }

    @Test
    void feedbackOnAnotherCallersAnswerIsNotFound() throws Exception {
        String id = answer(dave, Map.of("question", LEAVE_QUESTION)).path("id").asString();
        double before = feedbackCount("down", "extractive");

        HttpResponse<String> r = post("/api/v1/answers/" + id + "/feedback", token("mallory", "acme", List.of()),
                Map.of("rating", "down"));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(feedbackCount("down", "extractive")).isEqualTo(before);
    }

    @Test
    void readinessIsUpWithEachGeneratorTier() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode health = json.readTree(r.body());
        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode extractive = health.path("components").path("generators").path("details").path("extractive");
        assertThat(extractive.path("type").asString()).isEqualTo("extractive");
        assertThat(extractive.path("circuit").asString()).isEqualTo("closed");
        assertThat(extractive.path("ready").asBoolean()).isTrue();
    }

    // --- helpers ---

    private double feedbackCount(String rating, String tier) {
        Counter c = meters.find("kb.inference.feedback").tag("rating", rating).tag("tier", tier).counter();
        return c == null ? 0 : c.count();
    }

    private JsonNode answer(String token, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = post("/api/v1/answers", token, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String token, Map<String, Object> body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The events of a Server-Sent Events body, in order: name and JSON data. */
    private List<Map.Entry<String, JsonNode>> events(String body) {
        List<Map.Entry<String, JsonNode>> events = new ArrayList<>();
        for (String block : body.split("\\R\\R")) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\\R")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5));
                }
            }
            if (!data.isEmpty()) {
                events.add(Map.entry(name, json.readTree(data.toString())));
            }
        }
        return events;
    }

    private static String token(String user, String tenant, List<String> groups) {
        return issuer.sign(TestIssuer.claims(user, tenant, groups).build());
    }

    private static TestIssuer startIssuer() {
        try {
            return TestIssuer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
