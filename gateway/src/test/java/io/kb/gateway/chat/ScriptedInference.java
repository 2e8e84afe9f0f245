package io.kb.gateway.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An inference service on a real HTTP port that answers {@code POST /api/v1/answers/stream} from scripts, as the
 * real one does: {@code token} events a little apart, then {@code citations}, then {@code done}. It records every
 * request (path, Authorization header, body) and can hold a stream after its first tokens until the test lets it
 * go, so the test sees the page half-way through an answer without racing a timer.
 */
final class ScriptedInference {

    /** A request as the service received it. */
    record Received(String method, String path, String authorization, JsonNode body) {
    }

    /**
     * What to send for one question.
     *
     * @param tokens     the pieces of the answer, streamed one event each
     * @param citations  the {@code citations} event's list
     * @param done       the {@code done} event's body (the whole response)
     * @param status     the HTTP status; anything but 200 sends {@code problem} instead of a stream
     * @param retryAfter the Retry-After header with a 429, or null
     */
    record Script(List<String> tokens, List<Map<String, Object>> citations, Map<String, Object> done, int status,
            String retryAfter) {

        static Script streaming(List<String> tokens, List<Map<String, Object>> citations, Map<String, Object> done) {
            return new Script(tokens, citations, done, 200, null);
        }

        static Script refused(int status, String retryAfter) {
            return new Script(List.of(), List.of(), Map.of(), status, retryAfter);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long PAUSE_BETWEEN_TOKENS_MS = 120;

    private final HttpServer server;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int holdAfter = -1;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    ScriptedInference() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void script(String question, Script script) {
        scripts.put(question, script);
    }

    /** The next stream stops after this many tokens until {@link #release()}. */
    void holdAfter(int tokens) {
        gate = new CountDownLatch(1);
        holdAfter = tokens;
    }

    void release() {
        gate.countDown();
    }

    List<Received> received() {
        return received;
    }

    List<Received> received(String pathPrefix) {
        return received.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    void forget() {
        received.clear();
        holdAfter = -1;
        gate.countDown();
    }

    void stop() {
        gate.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            if (path.endsWith("/feedback")) {
                exchange.sendResponseHeaders(202, -1);
            } else if (path.equals("/api/v1/answers/stream")) {
                stream(exchange, scripts.get(body.path("question").asString("")));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void stream(HttpExchange exchange, Script script) throws IOException {
        if (script == null) {
            exchange.sendResponseHeaders(500, -1);
            return;
        }
        if (script.status() != 200) {
            byte[] problem = JSON.writeValueAsBytes(Map.of("type", "urn:kb:problem:rate-limited",
                    "title", "Too Many Requests", "status", script.status(), "detail", "Slow down."));
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            if (script.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", script.retryAfter());
            }
            exchange.sendResponseHeaders(script.status(), problem.length);
            exchange.getResponseBody().write(problem);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream;charset=UTF-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int sent = 0;
        for (String token : script.tokens()) {
            if (sent == holdAfter) {
                await(gate);
            }
            send(out, "token", Map.of("text", token));
            sent++;
            pause();
        }
        send(out, "citations", Map.of("citations", script.citations()));
        send(out, "done", script.done());
    }

    /** One event as Spring's SseEmitter writes it: no space after the colon. */
    private static void send(OutputStream out, String event, Object data) throws IOException {
        out.write(("event:" + event + "\ndata:" + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_BETWEEN_TOKENS_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the held stream");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
