package io.kb.inference.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * retrieval-service as the pipeline sees it: {@code POST /api/v1/search} returns two fixed hits (or the status
 * it is told to fail with), {@code GET /api/v1/index/version} the current version; both record the
 * {@code Authorization} header they were called with.
 */
public final class RetrievalStub implements AutoCloseable {

    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<String> searchAuthorizations = new CopyOnWriteArrayList<>();
    private final List<String> versionAuthorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger searches = new AtomicInteger();
    private volatile String version = "v1";
    private volatile int searchStatus = 200;
    private volatile String lastQuery;

    private RetrievalStub(HttpServer server) {
        this.server = server;
    }

    public static RetrievalStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RetrievalStub stub = new RetrievalStub(server);
            server.createContext("/api/v1/search", stub::search);
            server.createContext("/api/v1/index/version", stub::version);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void reset(String newVersion) {
        searchAuthorizations.clear();
        versionAuthorizations.clear();
        searches.set(0);
        searchStatus = 200;
        version = newVersion;
        lastQuery = null;
    }

    public void version(String newVersion) {
        version = newVersion;
    }

    public void searchStatus(int status) {
        searchStatus = status;
    }

    public int searches() {
        return searches.get();
    }

    public List<String> searchAuthorizations() {
        return List.copyOf(searchAuthorizations);
    }

    public List<String> versionAuthorizations() {
        return List.copyOf(versionAuthorizations);
    }

    public String lastQuery() {
        return lastQuery;
    }

    private void search(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, Map.of());
            return;
        }
        searches.incrementAndGet();
        searchAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
        lastQuery = request.path("query").asString();
        if (searchStatus != 200) {
            respond(exchange, searchStatus, Map.of("title", "Internal Server Error", "status", searchStatus));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", lastQuery);
        body.put("mode", "hybrid");
        body.put("hits", List.of(
                hit("leave.md", "Leave policy", "leave-0", "Every employee gets 25 days of paid leave per year. "
                        + "Unused leave carries over until the end of March.", 2, 0.91),
                hit("travel.md", "Travel policy", "travel-0",
                        "Flights under six hours are booked in economy class.", 1, 0.42)));
        respond(exchange, 200, body);
    }

    private void version(HttpExchange exchange) throws IOException {
        versionAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        respond(exchange, 200, Map.of("tenant", "acme", "version", version));
    }

    private static Map<String, Object> hit(String documentId, String title, String chunkId, String text, int page,
            double score) {
        Map<String, Object> hit = new LinkedHashMap<>();
        hit.put("documentId", documentId);
        hit.put("title", title);
        hit.put("chunkId", chunkId);
        hit.put("text", text);
        hit.put("headingPath", List.of(title));
        hit.put("page", page);
        hit.put("startOffset", 0);
        hit.put("endOffset", text.length());
        hit.put("score", score);
        return hit;
    }

    private void respond(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
