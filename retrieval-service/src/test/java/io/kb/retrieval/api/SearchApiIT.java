package io.kb.retrieval.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kb.contracts.Topics;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.service.embedding.EmbeddingStandIn;
import io.kb.service.security.TestIssuer;
import org.junit.jupiter.api.AfterAll;
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
 * {@code POST /api/v1/search} over real HTTP, with tokens signed by a test issuer whose keys the service fetches
 * from a real JWK set endpoint, a real Lucene index, and an embedding-service stand-in whose query vectors point
 * at topics (so dense ranking is predictable) and which can be switched off.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("local")
@EmbeddedKafka(partitions = 1, topics = {Topics.CHUNKS, Topics.INGEST_STATUS, Topics.CHUNKS_DLQ})
class SearchApiIT {

    static final String MODEL = "test-model";
    static final TestIssuer issuer = startIssuer();
    static final AtomicBoolean embeddingUp = new AtomicBoolean(true);
    static final EmbeddingStandIn embedding =
            EmbeddingStandIn.start(MODEL, 4, SearchApiIT::topicVector, kb -> !embeddingUp.get());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", issuer::jwkSetUri);
        registry.add("kb.security.issuer", () -> TestIssuer.ISSUER);
        registry.add("kb.retrieval.index.lucene.path", () -> tempDir().toString());
        registry.add("kb.retrieval.search.embedding-url", embedding::url);
        registry.add("kb.retrieval.search.embedding-timeout", () -> "2s");
    }

    @AfterAll
    static void stop() {
        embedding.close();
        issuer.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ChunkIndex index;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void documents() {
        embeddingUp.set(true);
        apply("acme", "leave.md", List.of("public"), "Annual leave: every employee gets 25 days of paid leave.",
                "Unused leave carries over up to 5 days.");
        apply("acme", "travel.md", List.of("group:finance"), "Travel: economy class for flights under six hours.");
        apply("acme", "salary.md", List.of("group:hr"), "Salary bands: grade G5 pays 52,000 to 61,000 a year.");
        apply("globex", "leave.md", List.of("public"), "Globex leave: 30 days of paid leave for everyone.");
    }

    @Test
    void withoutATokenThereIsNoSearch() throws Exception {
        HttpResponse<String> r = post(Map.of("query", "leave"), null, Map.of());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json.readTree(r.body()).path("type").asString()).isEqualTo("urn:kb:problem:unauthorized");
    }

    @Test
    void findsWhatTheCallerMayReadAndNothingElse() throws Exception {
        String dave = token("dave", "acme", List.of());
        String alice = token("alice", "acme", List.of("hr"));

        assertThat(documents(search(dave, Map.of("query", "paid leave days")))).first().isEqualTo("leave.md");
        assertThat(documents(search(dave, Map.of("query", "salary bands grade G5")))).doesNotContain("salary.md");
        assertThat(documents(search(alice, Map.of("query", "salary bands grade G5")))).first().isEqualTo("salary.md");
        assertThat(documents(search(dave, Map.of("query", "economy flights travel")))).doesNotContain("travel.md");
        JsonNode all = search(dave, Map.of("query", "leave", "topK", 50));
        all.path("hits").forEach(h -> assertThat(h.path("text").asString()).doesNotContain("Globex"));
    }

    @Test
    void identityHeadersCannotWidenTheSearch() throws Exception {
        String dave = token("dave", "acme", List.of());

        JsonNode r = json.readTree(post(Map.of("query", "leave", "topK", 50), dave,
                Map.of("X-Tenant", "globex", "X-Groups", "hr,finance")).body());

        assertThat(documents(r)).containsOnly("leave.md");
        r.path("hits").forEach(h -> assertThat(h.path("text").asString()).doesNotContain("Globex"));
    }

    @Test
    void eachModeRunsItsRetrieversAndBm25MarksTheMatchedWords() throws Exception {
        String alice = token("alice", "acme", List.of("hr", "finance"));

        JsonNode bm25 = search(alice, Map.of("query", "economy", "mode", "bm25"));
        assertThat(bm25.path("mode").asString()).isEqualTo("bm25");
        assertThat(documents(bm25)).containsExactly("travel.md");
        JsonNode hit = bm25.path("hits").get(0);
        JsonNode highlight = hit.path("highlights").get(0);
        assertThat(hit.path("text").asString().substring(highlight.path("start").asInt(), highlight.path("end").asInt()))
                .isEqualToIgnoringCase("economy");
        assertThat(bm25.path("timings").has("bm25")).isTrue();
        assertThat(bm25.path("timings").has("dense")).isFalse();

        // "salary" points the stand-in's query vector at the salary topic, whatever the words.
        JsonNode dense = search(alice, Map.of("query", "salary?", "mode", "dense", "topK", 1));
        assertThat(documents(dense)).containsExactly("salary.md");
        assertThat(dense.path("timings").has("embed")).isTrue();
    }

    @Test
    void groupingKeepsTheBestChunkOfEachDocument() throws Exception {
        String dave = token("dave", "acme", List.of());

        JsonNode grouped = search(dave, Map.of("query", "leave days", "groupByDocument", true, "topK", 5));

        assertThat(documents(grouped)).containsExactly("leave.md");
        assertThat(documents(search(dave, Map.of("query", "leave days", "topK", 5)))).containsExactly("leave.md", "leave.md");
    }

    @Test
    void withoutTheEmbeddingModelHybridFallsBackToBm25AndSaysSoWhileDenseFails() throws Exception {
        String dave = token("dave", "acme", List.of());
        embeddingUp.set(false);

        JsonNode hybrid = search(dave, Map.of("query", "paid leave"));
        assertThat(documents(hybrid)).contains("leave.md");
        assertThat(hybrid.path("degraded").asString()).contains("BM25 alone");
        assertThat(hybrid.has("reranked")).as("no reranker configured, nothing said about reranking").isFalse();
        assertThat(hybrid.path("timings").has("rerank")).isFalse();

        HttpResponse<String> dense = post(Map.of("query", "paid leave", "mode", "dense"), dave, Map.of());
        assertThat(dense.statusCode()).isEqualTo(503);
        assertThat(json.readTree(dense.body()).path("type").asString()).isEqualTo("urn:kb:problem:upstream-unavailable");
    }

    @Test
    void badRequestsAreProblemsNamingTheField() throws Exception {
        String dave = token("dave", "acme", List.of());

        HttpResponse<String> blank = post(Map.of("query", " "), dave, Map.of());
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(json.readTree(blank.body()).path("errors").get(0).path("field").asString()).isEqualTo("query");

        HttpResponse<String> tooMany = post(Map.of("query", "leave", "topK", 500), dave, Map.of());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json.readTree(tooMany.body()).path("detail").asString()).contains("topK");

        assertThat(post(Map.of("query", "leave", "mode", "fuzzy"), dave, Map.of()).statusCode()).isEqualTo(400);
    }

    // --- helpers ---

    private JsonNode search(String token, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = post(body, token, Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private HttpResponse<String> post(Map<String, Object> body, String token, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> documents(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.path("hits").forEach(h -> ids.add(h.path("documentId").asString()));
        return ids;
    }

    private static String token(String user, String tenant, List<String> groups) {
        return issuer.sign(TestIssuer.claims(user, tenant, groups).build());
    }

    private void apply(String tenant, String documentId, List<String> acl, String... texts) {
        DocumentEvent event = DocumentEvent.upsert(tenant, documentId, 1, documentId, "text/plain", acl, Map.of(),
                Content.ofText(String.join("\n", texts)));
        List<Chunk> chunks = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < texts.length; i++) {
            chunks.add(new Chunk(ChunkIds.of(tenant, documentId, 1, i), i, texts[i], topicVector(texts[i]), List.of(),
                    null, offset, offset + texts[i].length()));
            offset += texts[i].length() + 1;
        }
        index.apply(ChunkBatch.upsert(event, "text/plain", new EmbeddingInfo(MODEL, 4), chunks));
    }

    /** A unit vector along the text's topic: leave, travel, salary, or anything else. */
    static float[] topicVector(String text) {
        String t = text.toLowerCase();
        int axis = t.contains("salary") ? 2 : t.contains("travel") || t.contains("economy") ? 1 : t.contains("leave") ? 0 : 3;
        float[] v = new float[4];
        v[axis] = 1;
        return v;
    }

    private static TestIssuer startIssuer() {
        try {
            return TestIssuer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("kb-search-it");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
