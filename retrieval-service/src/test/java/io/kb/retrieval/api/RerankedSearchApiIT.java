package io.kb.retrieval.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.grpc.Status;
import io.kb.contracts.Topics;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.rerank.RerankProperties;
import io.kb.retrieval.rerank.triton.OverlapScoringTriton;
import io.kb.service.embedding.EmbeddingStandIn;
import io.kb.service.security.TestIssuer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/search} with {@code kb.retrieval.rerank.type=triton}, the service's reranker pointed at
 * {@link OverlapScoringTriton} on a loopback port (real gRPC over TCP), which checks every request field by field
 * and scores by word overlap. The order that rule implies is computed here from the fused answer of the same
 * search, and must differ from it, so that the test fails when reranking does not happen.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kb.retrieval.rerank.type=triton",
        "kb.retrieval.rerank.timeout=2s",
        "kb.retrieval.rerank.circuit.window=100",
        "kb.retrieval.rerank.circuit.minimum-calls=100",
        "kb.retrieval.rerank.triton.model=bge_reranker",
        "kb.retrieval.rerank.triton.max-batch-size=4"})
@ActiveProfiles("local")
@EmbeddedKafka(partitions = 1, topics = {Topics.CHUNKS, Topics.INGEST_STATUS, Topics.CHUNKS_DLQ})
class RerankedSearchApiIT {

    static final String MODEL = "test-model";
    static final String QUERY = "how many paid leave days carry over";
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static boolean warm;
    static final TestIssuer issuer = startIssuer();
    static final EmbeddingStandIn embedding = EmbeddingStandIn.start(MODEL, 4, SearchApiIT::topicVector, kb -> false);
    static final OverlapScoringTriton triton = OverlapScoringTriton.onLocalPort(
            new RerankProperties.Triton("localhost:1", false, "bge_reranker", "", "query", "passage", "logits", 4),
            TIMEOUT.toNanos() / 1000);

    static final String EXECUTIVES = "How many paid leave days carry over for executives: all of them.";
    static final String GLOBEX = "Paid leave days carry over at Globex, as many as you like.";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", issuer::jwkSetUri);
        registry.add("kb.security.issuer", () -> TestIssuer.ISSUER);
        registry.add("kb.retrieval.index.lucene.path", RerankedSearchApiIT::tempDir);
        registry.add("kb.retrieval.search.embedding-url", embedding::url);
        registry.add("kb.retrieval.rerank.triton.target", () -> "localhost:" + triton.port());
    }

    @AfterAll
    static void stop() {
        triton.close();
        embedding.close();
        issuer.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ChunkIndex index;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void documents() {
        apply("acme", "leave.md", List.of("public"),
                "Paid leave: paid leave.",
                "Leave requests go to your manager.",
                "How many days carry over is decided by HR each year together with payroll, finance, the works "
                        + "council and the managers of every department in every country where we operate.",
                "Parental leave is paid for sixteen weeks.",
                "How to book a meeting room.");
        apply("acme", "executives.md", List.of("group:hr"), EXECUTIVES);
        apply("globex", "leave.md", List.of("public"), GLOBEX);
        warmUp();
        triton.reset();
    }

    /** One search first, so that class loading in a cold JVM on a busy machine does not eat a test's deadline. */
    private void warmUp() {
        if (!warm) {
            try {
                search(token("dave", List.of()), Map.of("query", QUERY));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            warm = true;
        }
    }

    @AfterEach
    void everyRequestFittedTheModel() {
        assertThat(triton.violations()).isEmpty();
    }

    @Test
    void reranksTheFusedHitsIntoTheOrderOfTheModel() throws Exception {
        String dave = token("dave", List.of());

        JsonNode fused = search(dave, Map.of("query", QUERY, "topK", 10, "rerank", false));
        JsonNode reranked = search(dave, Map.of("query", QUERY, "topK", 10));

        List<String> byRule = texts(fused).stream()
                .sorted(Comparator.comparingDouble((String t) -> OverlapScoringTriton.score(QUERY, t)).reversed())
                .toList();
        assertThat(byRule).as("the rule must change the fused order, or this test proves nothing")
                .isNotEqualTo(texts(fused));
        assertThat(fused.path("reranked").asBoolean(true)).isFalse();
        assertThat(fused.path("rerankReason").asString()).contains("rerank: false");
        assertThat(reranked.path("reranked").asBoolean(false)).isTrue();
        assertThat(reranked.has("rerankReason")).isFalse();
        assertThat(texts(reranked)).isEqualTo(byRule);
        reranked.path("hits").forEach(h -> assertThat(h.path("score").floatValue())
                .isEqualTo(OverlapScoringTriton.score(QUERY, h.path("text").asString())));
        assertThat(reranked.path("timings").has("rerank")).isTrue();
        assertThat(fused.path("timings").has("rerank")).isFalse();
        assertThat(triton.requests()).as("%d candidates in batches of 4", byRule.size())
                .hasSize((byRule.size() + 3) / 4);
    }

    @Test
    void theRerankerSeesAndReturnsOnlyWhatTheCallerMayRead() throws Exception {
        String dave = token("dave", List.of());
        String alice = token("alice", List.of("hr"));

        JsonNode forDave = search(dave, Map.of("query", QUERY, "topK", 50));
        assertThat(triton.passages()).isNotEmpty().doesNotContain(EXECUTIVES, GLOBEX);
        assertThat(texts(forDave)).doesNotContain(EXECUTIVES, GLOBEX)
                .containsExactlyInAnyOrderElementsOf(texts(search(dave, Map.of("query", QUERY, "topK", 50, "rerank", false))));

        triton.reset();
        JsonNode forAlice = search(alice, Map.of("query", QUERY, "topK", 50));
        assertThat(triton.passages()).contains(EXECUTIVES).doesNotContain(GLOBEX);
        assertThat(texts(forAlice)).first().isEqualTo(EXECUTIVES);
        assertThat(texts(forAlice)).doesNotContain(GLOBEX);
    }

    @Test
    void aFailingRerankerLeavesTheFusedOrderSaysWhyAndIsCounted() throws Exception {
        String dave = token("dave", List.of());
        List<String> fused = texts(search(dave, Map.of("query", QUERY, "rerank", false)));
        double unavailable = count("unavailable");
        double timeout = count("timeout");
        double malformed = count("malformed");

        triton.failWith(Status.UNAVAILABLE.withDescription("model server restarting at 10.0.0.7"));
        JsonNode down = search(dave, Map.of("query", QUERY));
        triton.stallFor(TIMEOUT.plusMillis(700));
        JsonNode slow = search(dave, Map.of("query", QUERY));
        triton.behave(OverlapScoringTriton.Behaviour.WRONG_SHAPE);
        JsonNode bad = search(dave, Map.of("query", QUERY));

        for (JsonNode r : List.of(down, slow, bad)) {
            assertThat(r.path("reranked").asBoolean(true)).isFalse();
            assertThat(texts(r)).isEqualTo(fused);
            assertThat(r.path("timings").has("rerank")).isTrue();
        }
        assertThat(down.path("rerankReason").asString()).isEqualTo("the reranker is unavailable");
        assertThat(down.toString()).doesNotContain("10.0.0.7");
        assertThat(slow.path("rerankReason").asString()).isEqualTo("the reranker did not answer in time");
        assertThat(slow.path("timings").path("rerank").asDouble()).isGreaterThanOrEqualTo(TIMEOUT.toMillis());
        assertThat(bad.path("rerankReason").asString()).isEqualTo("the reranker's answer was malformed");
        assertThat(count("unavailable") - unavailable).isEqualTo(1);
        assertThat(count("timeout") - timeout).isEqualTo(1);
        assertThat(count("malformed") - malformed).isEqualTo(1);
    }

    @Test
    void optingOutDoesNotCallTheModel() throws Exception {
        JsonNode r = search(token("dave", List.of()), Map.of("query", QUERY, "rerank", false));

        assertThat(texts(r)).isNotEmpty();
        assertThat(triton.requests()).isEmpty();
    }

    @Test
    void theRerankerIsAHealthComponentButNotRequiredForReadiness() throws Exception {
        triton.modelReady(false);

        HttpResponse<String> readiness = get("/actuator/health/readiness");
        JsonNode health = json.readTree(get("/actuator/health").body());

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(json.readTree(readiness.body()).path("status").asString()).isEqualTo("UP");
        JsonNode reranker = health.path("components").path("reranker");
        assertThat(reranker.path("status").asString()).isEqualTo("DOWN");
        assertThat(reranker.path("details").path("modelReady").asBoolean(true)).isFalse();
        assertThat(reranker.path("details").path("circuit").asString()).isEqualTo("closed");

        triton.modelReady(true);
        assertThat(json.readTree(get("/actuator/health").body()).path("components").path("reranker")
                .path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusShowsTheOutcomesAndTheStageLatency() throws Exception {
        search(token("dave", List.of()), Map.of("query", QUERY));

        String scrape = get("/actuator/prometheus").body();

        assertThat(scrape).containsPattern("kb_retrieval_rerank_total\\{[^}]*outcome=\"reranked\"[^}]*\\} [1-9]");
        assertThat(scrape).containsPattern("kb_retrieval_stage_seconds_count\\{[^}]*stage=\"rerank\"[^}]*\\} [1-9]");
        assertThat(scrape).contains("kb_retrieval_rerank_circuit");
    }

    // --- helpers ---

    private double count(String outcome) {
        Counter c = meters.find("kb.retrieval.rerank").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private JsonNode search(String token, Map<String, Object> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/search"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> texts(JsonNode response) {
        List<String> texts = new ArrayList<>();
        response.path("hits").forEach(h -> texts.add(h.path("text").asString()));
        return texts;
    }

    private static String token(String user, List<String> groups) {
        return issuer.sign(TestIssuer.claims(user, "acme", groups).build());
    }

    private void apply(String tenant, String documentId, List<String> acl, String... texts) {
        DocumentEvent event = DocumentEvent.upsert(tenant, documentId, 1, documentId, "text/plain", acl, Map.of(),
                Content.ofText(String.join("\n", texts)));
        List<Chunk> chunks = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < texts.length; i++) {
            chunks.add(new Chunk(ChunkIds.of(tenant, documentId, 1, i), i, texts[i], SearchApiIT.topicVector(texts[i]),
                    List.of(), null, offset, offset + texts[i].length()));
            offset += texts[i].length() + 1;
        }
        index.apply(ChunkBatch.upsert(event, "text/plain", new EmbeddingInfo(MODEL, 4), chunks));
    }

    private static TestIssuer startIssuer() {
        try {
            return TestIssuer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("kb-rerank-it").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
