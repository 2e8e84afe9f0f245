package io.kb.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import io.kb.contracts.Topics;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.ContractEvent;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestState;
import io.kb.contracts.event.IngestStatus;
import io.kb.contracts.event.Operation;
import io.kb.ingest.source.upload.UploadReference;
import io.kb.service.kafka.KafkaTestTopics;
import io.kb.service.security.TestIssuer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The documents API over real HTTP with real tokens, on a real (embedded KRaft) broker: what it publishes is read
 * back from {@code kb.documents.v1}, the states it answers are written to {@code kb.ingest.status.v1} by the test,
 * and the pipeline, with an embedding stand-in, turns an upload into a chunk batch. The inline limit is lowered to
 * 64KB so that the upload store is used by small files too; the multipart limits are the service's own (50MB).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "kb.ingest.source.inline-max-bytes=64KB"})
@EmbeddedKafka(partitions = 3, topics = {Topics.DOCUMENTS, Topics.CHUNKS, Topics.INGEST_STATUS, Topics.DOCUMENTS_DLQ})
class DocumentsApiIT {

    static final TestIssuer issuer = startIssuer();
    static final HttpServer embedding = startEmbeddingStandIn();
    static final JsonMapper json = JsonMapper.builder().build();
    static final Path uploads = createTempDir().resolve("uploads");

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @LocalServerPort
    int port;

    private final EventCodec codec = new EventCodec();
    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", issuer::jwkSetUri);
        registry.add("kb.ingest.embedding.url", () -> "http://127.0.0.1:" + embedding.getAddress().getPort());
        registry.add("kb.ingest.uploads.dir", uploads::toString);
    }

    @AfterAll
    static void stop() {
        issuer.close();
        embedding.stop(0);
    }

    @Test
    void jsonUploadPublishesAnEventWithTheCallersTenantAndAcl() throws Exception {
        String tenant = tenant();
        HttpResponse<String> response = postJson(token("alice", tenant), Map.of(
                "documentId", "hr/leave.md", "title", "Annual leave", "acl", List.of("group:hr", "public"),
                "version", 3, "mediaType", "text/markdown", "metadata", Map.of("department", "hr"),
                "text", "# Annual leave\n\nEvery employee gets 25 days of paid leave."));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/documents/hr/leave.md");
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("documentId").asString()).isEqualTo("hr/leave.md");
        assertThat(body.path("version").asLong()).isEqualTo(3);
        assertThat(body.path("status").asString()).isEqualTo("ACCEPTED");

        ConsumerRecord<String, byte[]> record = read(Topics.DOCUMENTS, tenant, 1).getFirst();
        assertThat(record.key()).isEqualTo(tenant + "/hr/leave.md");
        DocumentEvent event = codec.readDocumentEvent(record.value());
        assertThat(event.operation()).isEqualTo(Operation.UPSERT);
        assertThat(event.tenant()).isEqualTo(tenant);
        assertThat(event.acl()).containsExactly("group:hr", "public");
        assertThat(event.version()).isEqualTo(3);
        assertThat(event.metadata()).containsEntry("department", "hr");
        assertThat(event.content().text()).contains("25 days");
    }

    @Test
    void multipartUploadPublishesTheFileInBase64UnderItsFileName() throws Exception {
        String tenant = tenant();
        byte[] file = "Travel expenses are refunded within 30 days.".getBytes(StandardCharsets.UTF_8);
        long before = System.currentTimeMillis();
        HttpResponse<String> response = postMultipart(token("bob", tenant),
                Map.of("acl", "group:finance, user:bob", "title", "Travel", "metadata.department", "finance"),
                "travel.txt", "text/plain", file);

        assertThat(response.statusCode()).isEqualTo(202);
        DocumentEvent event = codec.readDocumentEvent(read(Topics.DOCUMENTS, tenant, 1).getFirst().value());
        assertThat(event.tenant()).isEqualTo(tenant);
        assertThat(event.documentId()).isEqualTo("travel.txt");
        assertThat(event.acl()).containsExactly("group:finance", "user:bob");
        assertThat(event.title()).isEqualTo("Travel");
        assertThat(event.mediaType()).isEqualTo("text/plain");
        assertThat(event.metadata()).containsEntry("department", "finance");
        assertThat(event.version()).isGreaterThanOrEqualTo(before);
        assertThat(event.content().base64()).isEqualTo(Base64.getEncoder().encodeToString(file));
    }

    @Test
    void anUploadedDocumentEndsAsAChunkBatch() throws Exception {
        String tenant = tenant();
        HttpResponse<String> response = postJson(token("carol", tenant), Map.of("documentId", "policy.txt",
                "acl", List.of("public"), "version", 1, "text", "Remote work is allowed two days a week."));

        assertThat(response.statusCode()).isEqualTo(202);
        ChunkBatch batch = codec.readChunkBatch(read(Topics.CHUNKS, tenant, 1).getFirst().value());
        assertThat(batch.documentId()).isEqualTo("policy.txt");
        assertThat(batch.acl()).containsExactly("public");
        assertThat(batch.chunks()).isNotEmpty();
    }

    @Test
    void refusesATenantInTheBody() throws Exception {
        String tenant = tenant();
        HttpResponse<String> response = postJson(token("mallory", tenant), Map.of("tenant", "someone-else",
                "documentId", "x.txt", "acl", List.of("public"), "text", "x"));

        assertProblem(response, 400, "tenant");
        read(Topics.DOCUMENTS, tenant, 0);
    }

    @Test
    void refusesARequestWithoutToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/v1/documents"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"documentId\":\"x\",\"acl\":[\"public\"],\"text\":\"x\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void namesTheAclWhenItIsMissingOrMalformed() throws Exception {
        String token = token("dave", tenant());
        assertProblem(postJson(token, Map.of("documentId", "x.txt", "text", "x")), 400, "acl");
        assertProblem(postMultipart(token, Map.of("acl", "public,bogus"), "x.txt", "text/plain",
                "x".getBytes(StandardCharsets.UTF_8)), 400, "acl[1]");
        assertProblem(postMultipart(token, Map.of(), "x.txt", "text/plain",
                "x".getBytes(StandardCharsets.UTF_8)), 400, "acl");
    }

    @Test
    void refusesFileAndUploadReferencesOverHttp() throws Exception {
        assertProblem(postJson(token("eve", tenant()), Map.of("documentId", "passwd", "acl", List.of("public"),
                "reference", "file:/etc/passwd")), 400, "reference");
        assertProblem(postJson(token("eve", tenant()), Map.of("documentId", "passwd", "acl", List.of("public"),
                "reference", "upload:acme/" + "a".repeat(64) + "/1-" + "b".repeat(64))), 400, "reference");
    }

    @Test
    void answers413ForJsonContentOverTheInlineLimit() throws Exception {
        String tenant = tenant();
        String big = "x".repeat(100 * 1024);

        HttpResponse<String> json = postJson(token("frank", tenant), Map.of("documentId", "big.txt",
                "acl", List.of("public"), "text", big));

        assertThat(json.statusCode()).isEqualTo(413);
        assertThat(json.body()).contains("urn:kb:problem:payload-too-large", "multipart/form-data");
        read(Topics.DOCUMENTS, tenant, 0);
    }

    @Test
    void aFiveMegabyteUploadIsStoredPublishedAsAReferenceChunkedAndReleasedOnceIndexed() throws Exception {
        String tenant = tenant();
        // A page whose bulk is a comment: 5MB travel through the store, little text goes to the embedding stand-in.
        // The sentence that must come out is at the very end, so a truncated read cannot produce it.
        StringBuilder page = new StringBuilder("<html><head><title>Travel</title></head><body><!-- ");
        Random random = new Random(5);
        while (page.length() < 5 * 1024 * 1024) {
            page.append((char) ('a' + random.nextInt(26)));
        }
        page.append(" --><p>Hotel nights in Suzhou are refunded up to 680 yuan.</p></body></html>");
        byte[] file = page.toString().getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = postMultipart(token("ivan", tenant),
                Map.of("acl", "group:finance", "documentId", "travel/suzhou.html", "version", "12"),
                "suzhou.html", "text/html", file);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        DocumentEvent event = codec.readDocumentEvent(read(Topics.DOCUMENTS, tenant, 1).getFirst().value());
        assertThat(event.content().kind()).isEqualTo(Content.Kind.REFERENCE);
        assertThat(event.content().reference()).startsWith("upload:" + tenant + "/");
        assertThat(storedFiles(tenant)).singleElement().satisfies(stored -> {
            assertThat(stored).startsWith(uploads);
            assertThat(Files.readAllBytes(stored)).isEqualTo(file);
        });

        ChunkBatch batch = codec.readChunkBatch(read(Topics.CHUNKS, tenant, 1).getFirst().value());
        assertThat(batch.documentId()).isEqualTo("travel/suzhou.html");
        assertThat(batch.version()).isEqualTo(12);
        assertThat(batch.chunks()).extracting(Chunk::text).anyMatch(t -> t.contains("680 yuan"));

        // The indexer's word that the version is in: the stored copy goes.
        publish(IngestStatus.indexed(tenant, "travel/suzhou.html", 12, batch.chunks().size(), Instant.now()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!storedFiles(tenant).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(storedFiles(tenant)).as("uploads left after INDEXED").isEmpty();
    }

    @Test
    void refusesAnUploadOverTheMultipartLimitWithoutStoringOrPublishingAnything() throws Exception {
        String tenant = tenant();
        long size = 60L * 1024 * 1024;

        String response = postLargeMultipart(token("judy", tenant), "huge.txt", size);

        assertThat(response).startsWith("HTTP/1.1 413").contains("urn:kb:problem:payload-too-large");
        assertThat(storedFiles(tenant)).isEmpty();
        try (Stream<Path> incoming = Files.list(uploads.resolve(".incoming"))) {
            assertThat(incoming.toList()).as("unfinished writes").isEmpty();
        }
        read(Topics.DOCUMENTS, tenant, 0);
    }

    @Test
    void aHostileFileNameNamesTheDocumentButNeverAPlaceOnDisk() throws Exception {
        String tenant = tenant();
        byte[] file = "Badge access is reviewed every quarter. ".repeat(2000).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = postMultipart(token("mallory", tenant), Map.of("acl", "public"),
                "../../etc/passwd", "text/plain", file);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        DocumentEvent event = codec.readDocumentEvent(read(Topics.DOCUMENTS, tenant, 1).getFirst().value());
        assertThat(event.content().reference()).startsWith("upload:" + tenant + "/");
        assertThat(storedFiles(tenant)).singleElement().satisfies(stored -> assertThat(uploads.relativize(stored)
                .toString()).matches(tenant + "/[0-9a-f]{64}/[0-9]+-[0-9a-f]{64}"));
        assertThat(uploads.resolve("../../etc/passwd").normalize()).doesNotExist();
        ChunkBatch batch = codec.readChunkBatch(read(Topics.CHUNKS, tenant, 1).getFirst().value());
        assertThat(batch.documentId()).isEqualTo(event.documentId());
        assertThat(batch.chunks().getFirst().text()).startsWith("Badge access is reviewed every quarter.");
    }

    @Test
    void anUploadIsReadOnlyForTheDocumentVersionItWasStoredFor() throws Exception {
        String tenant = tenant();
        byte[] file = "Salary bands are confidential. ".repeat(2500).getBytes(StandardCharsets.UTF_8);
        assertThat(postMultipart(token("hr", tenant), Map.of("acl", "group:hr", "documentId", "salaries.txt",
                "version", "1"), "salaries.txt", "text/plain", file).statusCode()).isEqualTo(202);
        String reference = codec.readDocumentEvent(read(Topics.DOCUMENTS, tenant, 1).getFirst().value())
                .content().reference();

        // Another document of the same tenant, published straight to Kafka, naming that upload.
        publish(DocumentEvent.upsert(tenant, "copy.txt", 1, null, null, List.of("public"), null,
                Content.ofReference(reference)));

        List<IngestStatus> statuses = read(Topics.INGEST_STATUS, tenant, 3).stream()
                .map(r -> codec.readIngestStatus(r.value())).toList();
        assertThat(statuses).filteredOn(s -> s.documentId().equals("copy.txt") && s.state() == IngestState.FAILED)
                .singleElement().satisfies(s -> {
                    assertThat(s.stage()).isEqualTo("fetch");
                    assertThat(s.reason()).contains("not stored for this tenant, document and version");
                });
        assertThat(read(Topics.CHUNKS, tenant, 1)).extracting(ConsumerRecord::key).containsExactly(tenant + "/salaries.txt");
    }

    @Test
    void aRedeliveredEventWhoseUploadWasReleasedIsSkippedOnlyWhenItsVersionIsSettled() throws Exception {
        String tenant = tenant();
        String missing = "0".repeat(64);
        // gone.txt@3 was indexed and its upload released; never.txt@3 was not.
        publish(IngestStatus.indexed(tenant, "gone.txt", 3, 2, Instant.now()));
        awaitState(token("kim", tenant), "/api/v1/documents/gone.txt", "INDEXED");

        publish(DocumentEvent.upsert(tenant, "gone.txt", 3, null, null, List.of("public"), null,
                Content.ofReference(UploadReference.of(tenant, "gone.txt", 3, missing).uri())));
        publish(DocumentEvent.upsert(tenant, "never.txt", 3, null, null, List.of("public"), null,
                Content.ofReference(UploadReference.of(tenant, "never.txt", 3, missing).uri())));

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!metrics().contains("outcome=\"already-settled\"") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(metrics()).as("gone.txt skipped").contains("outcome=\"already-settled\"");
        // INDEXED (ours), then RECEIVED and FAILED for never.txt alone: gone.txt announces nothing.
        List<IngestStatus> statuses = read(Topics.INGEST_STATUS, tenant, 3).stream()
                .map(r -> codec.readIngestStatus(r.value())).toList();
        assertThat(statuses).filteredOn(s -> s.state() == IngestState.FAILED).singleElement().satisfies(s -> {
            assertThat(s.documentId()).isEqualTo("never.txt");
            assertThat(s.reason()).contains("is not stored");
        });
        read(Topics.CHUNKS, tenant, 0);
        read(Topics.DOCUMENTS_DLQ, tenant, 1);
        // Seconds later: a RECEIVED of gone.txt would have replaced its INDEXED state by now.
        assertThat(json.readTree(get(token("kim", tenant), "/api/v1/documents/gone.txt").body())
                .path("state").asString()).isEqualTo("INDEXED");
    }

    @Test
    void deletePublishesADeleteEventForAnIdWithSlashes() throws Exception {
        String tenant = tenant();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/v1/documents/wiki/pages/a%20b.md?version=42"))
                .header("Authorization", "Bearer " + token("grace", tenant)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json.readTree(response.body()).path("documentId").asString()).isEqualTo("wiki/pages/a b.md");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/documents/wiki/pages/a%20b.md");
        ConsumerRecord<String, byte[]> record = read(Topics.DOCUMENTS, tenant, 1).getFirst();
        DocumentEvent event = codec.readDocumentEvent(record.value());
        assertThat(event.operation()).isEqualTo(Operation.DELETE);
        assertThat(event.documentId()).isEqualTo("wiki/pages/a b.md");
        assertThat(event.version()).isEqualTo(42);
    }

    @Test
    void answersTheLatestStateOfTheCallersDocumentAndNothingOfOtherTenants() throws Exception {
        String tenant = tenant();
        Instant at = Instant.parse("2025-05-01T12:00:00Z");
        publish(IngestStatus.received(tenant, "hr/leave.md", 2, at));
        publish(IngestStatus.indexed(tenant, "hr/leave.md", 2, 4, at.plusSeconds(3)));
        // A late status of an older version does not hide the newer one.
        publish(IngestStatus.received(tenant, "hr/leave.md", 1, at.plusSeconds(4)));

        String path = "/api/v1/documents/hr/leave.md";
        JsonNode state = awaitState(token("alice", tenant), path, "INDEXED");
        assertThat(state.path("documentId").asString()).isEqualTo("hr/leave.md");
        assertThat(state.path("version").asLong()).isEqualTo(2);
        assertThat(state.path("chunkCount").asInt()).isEqualTo(4);
        assertThat(state.path("stage").asString()).isEqualTo("index");
        assertThat(state.path("updatedAt").asString()).isEqualTo("2025-05-01T12:00:03Z");

        assertProblem(get(token("oscar", tenant()), path), 404, null);
        assertProblem(get(token("alice", tenant), "/api/v1/documents/unknown.md"), 404, null);
    }

    @Test
    void isReadyOnceTheStatesAreRead() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("documentStates");
    }

    // --- helpers ---

    private JsonNode awaitState(String token, String path, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> response = get(token, path);
        while (System.nanoTime() < deadline && (response.statusCode() != 200
                || !expected.equals(json.readTree(response.body()).path("state").asString()))) {
            Thread.sleep(100);
            response = get(token, path);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode state = json.readTree(response.body());
        assertThat(state.path("state").asString()).isEqualTo(expected);
        return state;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        if (field != null) {
            JsonNode errors = json.readTree(response.body()).path("errors");
            assertThat(errors.path(0).path("field").asString()).as(response.body()).isEqualTo(field);
        }
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> get(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String token, Map<String, Object> body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/documents"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postMultipart(String token, Map<String, String> fields, String fileName,
            String contentType, byte[] file) throws Exception {
        String boundary = "kb-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : new LinkedHashMap<>(fields).entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri("/api/v1/documents"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The start of a multipart upload that announces {@code size} bytes with its Content-Length, as a browser or curl
     * sends it, and the server's answer. Only the first few kilobytes are sent: the server is to refuse on the
     * announced length, before reading the file. (An HTTP client that goes on sending the whole body would see the
     * connection closed under it: the server does not read 60MB just to discard them.)
     */
    private String postLargeMultipart(String token, String fileName, long size) throws IOException {
        String boundary = "kb-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"acl\"\r\n\r\npublic\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        String request = "POST /api/v1/documents HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
                + token + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                + (head.length + size + tail.length) + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.write("z".repeat(2048).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(response);
            } catch (SocketTimeoutException e) {
                // The server kept the connection open after its answer; what it said is in the buffer.
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    private static List<Path> storedFiles(String tenant) throws IOException {
        Path folder = uploads.resolve(tenant);
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("kb-documents-api");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String token(String user, String tenant) {
        return issuer.sign(TestIssuer.claims(user, tenant, List.of("hr")).build());
    }

    private static String tenant() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private void publish(ContractEvent event) {
        new KafkaTestTopics(brokers).send(event.topic(), event.key().asString(), codec.write(event));
    }

    private List<ConsumerRecord<String, byte[]>> read(String topic, String tenant, int expected) {
        return new KafkaTestTopics(brokers).read(topic, tenant, expected);
    }

    private static TestIssuer startIssuer() {
        try {
            return TestIssuer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers every batch with constant unit vectors: the chunk batch's shape is what this test checks. */
    private static HttpServer startEmbeddingStandIn() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/internal/v1/embeddings:batch", exchange -> {
                JsonNode request = json.readTree(exchange.getRequestBody());
                List<float[]> vectors = new ArrayList<>();
                request.path("texts").forEach(t -> vectors.add(new float[] {1f, 0f, 0f, 0f}));
                byte[] body = json.writeValueAsBytes(Map.of("model", "stand-in", "dimension", 4, "vectors", vectors));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
