package io.kb.service.embedding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * embedding-service's internal batch endpoint, in-process, for the tests of the services that call it: vectors from a
 * function the test chooses (so rankings and payloads are predictable), and a 503 whenever the test says the
 * knowledge base's model is unavailable, or a 400 for a text the test says the model refuses. The real model is covered by embedding-service's own tests and the
 * end-to-end tests.
 */
public final class EmbeddingStandIn implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private EmbeddingStandIn(HttpServer server) {
        this.server = server;
    }

    /**
     * @param model       the model name to answer with
     * @param dimension   the dimension to answer with
     * @param vectorOf    the vector of a text
     * @param unavailable tested once per request with the knowledge base: true answers 503
     */
    public static EmbeddingStandIn start(String model, int dimension, Function<String, float[]> vectorOf,
            Predicate<String> unavailable) {
        return start(model, dimension, vectorOf, unavailable, text -> false);
    }

    /**
     * @param refused tested with each text of a request: true for any answers 400, as the real service answers a
     *                text it cannot embed
     */
    public static EmbeddingStandIn start(String model, int dimension, Function<String, float[]> vectorOf,
            Predicate<String> unavailable, Predicate<String> refused) {
        JsonMapper json = JsonMapper.builder().build();
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            EmbeddingStandIn standIn = new EmbeddingStandIn(http);
            http.createContext("/internal/v1/embeddings:batch", exchange -> {
                JsonNode request = json.readTree(exchange.getRequestBody());
                String kb = request.path("knowledgeBase").asString();
                standIn.calls.computeIfAbsent(kb, k -> new AtomicInteger()).incrementAndGet();
                byte[] body;
                int status;
                List<String> texts = new ArrayList<>();
                request.path("texts").forEach(t -> texts.add(t.asString()));
                if (unavailable.test(kb)) {
                    status = 503;
                    body = "{\"title\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
                } else if (texts.stream().anyMatch(refused)) {
                    status = 400;
                    body = "{\"title\":\"text refused\"}".getBytes(StandardCharsets.UTF_8);
                } else {
                    List<float[]> vectors = new ArrayList<>();
                    texts.forEach(t -> vectors.add(vectorOf.apply(t)));
                    body = json.writeValueAsBytes(Map.of("model", model, "dimension", dimension, "vectors", vectors));
                    status = 200;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            http.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base URL, as the services' embedding URL settings take it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests received for a knowledge base, answered or not. */
    public int calls(String knowledgeBase) {
        AtomicInteger n = calls.get(knowledgeBase);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
